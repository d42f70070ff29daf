from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from casework.models import (
    AccessRecord,
    Case,
    CaseNote,
    Court,
    Deadline,
    DeadlineRule,
    Fine,
    Hearing,
    Incident,
    IncidentClient,
    IncidentFigure,
    LegalArticle,
    MonthlyIndex,
    Office,
    Reminder,
    SecurityPolicy,
    User,
    WorkingDayCorrection,
)
from casework.services import (
    RULE_TIMING_FIELDS,
    reconcile_client_deadlines,
    replan_rule_deadlines,
    reset_second_factors,
    rule_change_reaches_clients,
)
from casework.tasks import enqueue_full_reconcile
from clients.admin import NoDeleteAdmin, ReadOnlyAdmin
from clients.models import name_matches


@admin.register(Office)
class OfficeAdmin(NoDeleteAdmin):
    list_display = ["name", "city", "country", "registry_prefix", "is_active"]
    search_fields = ["name", "city"]


def permission_names(permissions) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in permissions.values_list("content_type__app_label", "codename")
    }


GRANT_REFUSED = {
    "groups": _("You can give or take away only roles whose every permission you hold."),
    "user_permissions": _("You can give or take away only permissions you hold yourself."),
    "permissions": _("You can give or take away only permissions you hold yourself."),
}


def check_grants(form, actor) -> None:
    """Refuse, field by field, any role, permission or superuser status that the person
    saving a user's or a role's form does not hold: nobody hands out, or takes back, more
    than they have."""
    if actor.is_superuser:
        return
    instance, data = form.instance, form.cleaned_data
    stored = type(instance).objects.filter(pk=instance.pk).first() if instance.pk else None
    if getattr(instance, "is_superuser", False) != getattr(stored, "is_superuser", False):
        # A history revert saves the old row whole: the form's fields alone cannot stop it.
        form.add_error(None, _("Only a superuser can change who is a superuser."))
    for field, message in GRANT_REFUSED.items():
        if field not in data:
            continue
        changed = (set(getattr(stored, field).all()) if stored else set()) ^ set(data[field])
        if field == "groups":
            granted = Permission.objects.filter(group__in=changed)
        else:
            granted = Permission.objects.filter(pk__in=[p.pk for p in changed])
        if not actor.may_grant(permission_names(granted)):
            form.add_error(field, message)


def grant_checked(form_class, actor):
    """The admin's form for a user or a role, refusing grants beyond the actor's own."""

    class GrantCheckedForm(form_class):
        def clean(self):
            cleaned = super().clean()
            check_grants(self, actor)
            return cleaned

    return GrantCheckedForm


# How the permission lists name each permission: Django stores its own permission names in
# English when the tables are made; a Russian administrator reads them in Russian.
PERMISSION_ACTIONS = {
    "add": _("may add"),
    "change": _("may change"),
    "delete": _("may delete"),
    "view": _("may view"),
}


def permission_label(permission) -> str:
    content_type = permission.content_type
    model = content_type.model_class()
    if model is None:
        return permission.name
    app = apps.get_app_config(content_type.app_label).verbose_name
    action, _sep, model_name = permission.codename.partition("_")
    if action in PERMISSION_ACTIONS and model_name == model._meta.model_name:
        what = PERMISSION_ACTIONS[action]
    else:
        what = gettext(permission.name)  # a permission of our own, named in the catalogue
    name = model._meta.verbose_name
    recorded = getattr(model, "instance_type", None)  # a history model names its record's
    if recorded is not None:
        name = gettext("history of %(name)s") % {"name": recorded._meta.verbose_name_plural}
    return f"{capfirst(app)} | {capfirst(name)} | {what}"


class PermissionLabels:
    """Permission choices named in the administrator's language."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name in ("permissions", "user_permissions") and formfield is not None:
            formfield.label_from_instance = permission_label
        return formfield


@admin.register(User)
class UserAdmin(PermissionLabels, DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "last_name", "first_name", "office", "is_active", "is_staff"]
    list_filter = ["office", "groups", "is_active", "is_staff"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Casework"), {"fields": ["office", "patronymic", "position", "phone"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, "is_superuser"]

    def has_change_permission(self, request, obj=None) -> bool:
        """Covers the password form too: Django's asks this before setting a password."""
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or request.user.may_manage(obj))

    def get_form(self, request, obj=None, **kwargs):
        return grant_checked(super().get_form(request, obj, **kwargs), request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    actions = ["reset_second_factors"]

    @admin.action(description=_("Reset second factors (lost phone or key)"))
    def reset_second_factors(self, request, queryset):
        """The users add a new authenticator app or passkey at their next sign-in. Only
        accounts the administrator may manage; the reset is recorded in each one's history."""
        done, refused = 0, 0
        for user in queryset:
            if self.has_change_permission(request, user):
                reset_second_factors(actor=request.user, user=user)
                done += 1
            else:
                refused += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "Second factors reset for %(count)d user.",
                    "Second factors reset for %(count)d users.",
                    done,
                )
                % {"count": done},
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "Not reset for %(count)d user who holds more than you do.",
                    "Not reset for %(count)d users who hold more than you do.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )


admin.site.unregister(Group)
# A second factor's row holds its secret: it is never shown. Administrators reset a user's
# second factors with the action on the user list.
admin.site.unregister(Authenticator)


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(admin.ModelAdmin):
    """One row: which roles must sign in with a second factor."""

    filter_horizontal = ["second_factor_roles"]

    def has_add_permission(self, request) -> bool:
        return not SecurityPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Whoever decides who must use a second factor holds every permission.
        return request.user.is_superuser


@admin.register(Group)
class RoleAdmin(PermissionLabels, GroupAdmin):
    """Roles: only a holder of every permission of a role may change it, and only by
    permissions they hold."""

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return request.user.may_grant(permission_names(obj.permissions.all()))

    def get_form(self, request, obj=None, **kwargs):
        return grant_checked(super().get_form(request, obj, **kwargs), request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Court)
class CourtAdmin(NoDeleteAdmin):
    list_display = ["name_ru", "kind", "city", "country", "is_active"]
    list_filter = ["kind", "country", "is_active"]
    search_fields = ["name_ru", "name_en", "city"]


@admin.register(LegalArticle)
class LegalArticleAdmin(NoDeleteAdmin):
    list_display = ["__str__", "title_ru", "min_mci", "max_mci", "confirmed", "is_active"]
    list_filter = ["country", "code", "confirmed", "is_active"]
    search_fields = ["article", "title_ru", "title_en"]


@admin.register(MonthlyIndex)
class MonthlyIndexAdmin(NoDeleteAdmin):
    list_display = ["country", "year", "value", "currency", "confirmed"]
    list_filter = ["country", "confirmed"]


@admin.register(WorkingDayCorrection)
class WorkingDayCorrectionAdmin(NoDeleteAdmin):
    list_display = ["date", "country", "is_working_day", "note"]
    list_filter = ["country", "is_working_day"]
    date_hierarchy = "date"


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(NoDeleteAdmin):
    """Shipped rules are defaults: the list and the form say which the NGO has not yet
    checked and which periods are reported but not established."""

    list_display = [
        "name_ru",
        "trigger",
        "period_text",
        "case_kinds",
        "remind_days_before",
        "checked",
        "confirmed",
        "uncertain",
        "is_active",
    ]
    list_filter = ["confirmed", "uncertain", "trigger", "day_kind", "is_active", "country"]
    search_fields = ["code", "name_ru", "name_en", "legal_basis"]
    HELP = {
        "remind_days_before": _(
            "Days before the due date on which the case's responsible lawyer (or its "
            "paralegal, or else the office's coordinators) is reminded by email and in the "
            "application, at 9:00; 0 is the due date itself. Counted in the same kind of "
            "days as the period. The day after the due date, a deadline still open is "
            "escalated to the office's coordinators."
        ),
        "day_kind": _(
            "Calendar days: every day counts, and a period ending on a day off moves to the "
            "next working day. Working days: weekends, public holidays of the office's "
            "country and the days off in the working-day corrections are skipped. The day "
            "of the event itself is never counted."
        ),
    }

    def get_form(self, request, obj=None, **kwargs):
        kwargs["help_texts"] = {**self.HELP, **kwargs.get("help_texts", {})}
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        """A new period or new reminder days reach the rule's open deadlines at once. A new
        or changed rule of permits or withheld passports runs the one full pass over every
        client with an open case, in the background once saved: which cases it covers,
        and when, may have changed for any of them."""
        previous = DeadlineRule.objects.get(pk=obj.pk) if change else None
        super().save_model(request, obj, form, change)
        if change and RULE_TIMING_FIELDS & set(form.changed_data):
            counts = replan_rule_deadlines(rule=obj, previous=previous)
            messages.info(
                request,
                _(
                    "Open deadlines of this rule: %(replanned)s re-planned, %(moved)s of "
                    "them moved to the new period (dates set by hand stay)."
                )
                % counts,
            )
        if rule_change_reaches_clients(rule=obj, previous=previous, changed=form.changed_data):
            transaction.on_commit(enqueue_full_reconcile)
            messages.info(
                request,
                _(
                    "The deadlines that clients' permits and withheld passports call for are "
                    "being brought in line with the rules in every open case."
                ),
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        rule = self.get_object(request, object_id)
        if rule is not None and request.method == "GET":
            for warning in self.warnings(rule):
                messages.warning(request, warning)
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def warnings(rule: DeadlineRule) -> list[str]:
        found = []
        if not rule.confirmed:
            found.append(
                _(
                    "This rule is a shipped default not yet confirmed by the NGO: check the "
                    "period against current law, then tick “confirmed by the NGO”."
                )
            )
        if rule.uncertain:
            found.append(
                _("The period of this rule is reported but not established: verify it first.")
            )
        return found

    @admin.display(description=_("period"))
    def period_text(self, rule: DeadlineRule) -> str:
        parts = []
        if rule.period_months:
            parts.append(_("%(n)s mo.") % {"n": rule.period_months})
        if rule.period or not parts:
            parts.append(f"{rule.period:+d} {rule.get_day_kind_display()}")
        return " ".join(str(part) for part in parts)

    @admin.display(description=_("check"))
    def checked(self, rule: DeadlineRule) -> str:
        if not rule.confirmed and rule.uncertain:
            return _("⚠ not confirmed, period uncertain")
        if not rule.confirmed:
            return _("⚠ not confirmed")
        if rule.uncertain:
            return _("⚠ period uncertain")
        return _("confirmed")


class VisibleCaseRecordsMixin:
    """The admin shows only records of cases the user may see, through the one access helper."""

    case_path = "case"

    def get_queryset(self, request):
        visible = Case.objects.visible_to(request.user)
        return super().get_queryset(request).filter(**{f"{self.case_path}__in": visible})


class FineInline(admin.TabularInline):
    model = Fine
    extra = 0
    fields = ["issued_on", "article", "amount", "currency", "status", "paid_on", "receipt_number"]
    can_delete = False


class HearingInline(admin.TabularInline):
    model = Hearing
    extra = 0
    fields = ["starts_at", "kind", "court", "judge", "outcome", "decision_received_on"]
    can_delete = False


class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 0
    fields = ["title", "due_on", "rule", "done_at", "cancelled_at"]
    can_delete = False


class CaseNoteInline(admin.TabularInline):
    model = CaseNote
    extra = 0
    fields = ["happened_at", "kind", "author", "text", "minutes_spent"]
    can_delete = False


@admin.register(Case)
class CaseAdmin(NoDeleteAdmin):
    list_display = [
        "reference",
        "client",
        "kind",
        "status",
        "outcome",
        "responsible_lawyer",
        "office",
        "opened_on",
    ]
    list_filter = ["status", "kind", "outcome", "sensitivity", "office"]
    search_fields = ["reference", "client__search_key"]
    autocomplete_fields = ["client", "incident"]
    date_hierarchy = "opened_on"
    list_select_related = ["client", "responsible_lawyer", "office"]
    inlines = [FineInline, HearingInline, DeadlineInline, CaseNoteInline]

    def get_queryset(self, request):
        return Case.objects.visible_to(request.user)

    # What decides which of the client's permit and passport deadlines apply to the case.
    CLIENT_DEADLINE_FIELDS = {"client", "kind", "office", "status", "archived_at"}

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change or self.CLIENT_DEADLINE_FIELDS & set(form.changed_data):
            reconcile_client_deadlines(client_ids=[obj.client_id])

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        matches = Q(reference__icontains=term) | name_matches(term, "client__search_key")
        return queryset.filter(matches), False


@admin.register(Fine)
class FineAdmin(VisibleCaseRecordsMixin, NoDeleteAdmin):
    list_display = ["__str__", "case", "article", "status", "issued_on", "paid_on"]
    list_filter = ["status", "article", "currency"]
    search_fields = ["protocol_number", "receipt_number", "case__reference"]
    autocomplete_fields = ["case"]
    list_select_related = ["case", "article"]


@admin.register(Hearing)
class HearingAdmin(VisibleCaseRecordsMixin, NoDeleteAdmin):
    list_display = ["starts_at", "case", "kind", "court", "outcome", "decision_received_on"]
    list_filter = ["kind", "outcome", "court"]
    search_fields = ["case__reference", "judge"]
    autocomplete_fields = ["case"]
    date_hierarchy = "starts_at"
    list_select_related = ["case", "court"]


@admin.register(Deadline)
class DeadlineAdmin(VisibleCaseRecordsMixin, NoDeleteAdmin):
    list_display = ["due_on", "title", "case", "rule", "done_at", "cancelled_at"]
    list_filter = ["rule"]
    search_fields = ["title", "case__reference"]
    autocomplete_fields = ["case"]
    date_hierarchy = "due_on"
    list_select_related = ["case", "rule"]


@admin.register(CaseNote)
class CaseNoteAdmin(VisibleCaseRecordsMixin, NoDeleteAdmin):
    list_display = ["happened_at", "case", "kind", "author", "minutes_spent"]
    list_filter = ["kind"]
    search_fields = ["case__reference", "text"]
    autocomplete_fields = ["case"]
    list_select_related = ["case", "author"]


class IncidentClientInline(admin.TabularInline):
    model = IncidentClient
    extra = 0
    autocomplete_fields = ["client"]
    can_delete = False


class IncidentFigureInline(admin.TabularInline):
    model = IncidentFigure
    extra = 0
    can_delete = False


@admin.register(Incident)
class IncidentAdmin(NoDeleteAdmin):
    list_display = [
        "title",
        "kind",
        "started_on",
        "city",
        "detained_count",
        "expelled_count",
        "office",
    ]
    list_filter = ["kind", "office", "city"]
    search_fields = ["title", "place", "city"]
    date_hierarchy = "started_on"
    inlines = [IncidentClientInline, IncidentFigureInline]

    def get_queryset(self, request):
        return Incident.objects.visible_to(request.user)


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["remind_at", "kind", "channel", "recipient", "sent_at", "failed_at", "attempts"]
    list_filter = ["kind", "channel"]
    readonly_fields = [f.name for f in Reminder._meta.fields]
    list_select_related = ["recipient"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyAdmin):
    """Who saw what, to browse and filter: nothing here adds, changes or deletes a row."""

    list_display = ["at", "user", "kind", "client", "page", "detail", "address"]
    list_filter = ["kind", "at", "user__office"]
    search_fields = ["user__username", "user__last_name", "detail", "path", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["user", "client"]
    raw_id_fields = ["client", "user"]
    show_full_result_count = False
