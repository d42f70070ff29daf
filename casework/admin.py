from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from casework.models import (
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
    User,
    WorkingDayCorrection,
)
from clients.admin import NoDeleteAdmin
from clients.models import name_matches


@admin.register(Office)
class OfficeAdmin(NoDeleteAdmin):
    list_display = ["name", "city", "country", "registry_prefix", "is_active"]
    search_fields = ["name", "city"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "last_name", "first_name", "office", "is_active", "is_staff"]
    list_filter = ["office", "groups", "is_active", "is_staff"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Casework"), {"fields": ["office", "patronymic", "position", "phone"]}),
    ]

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
    list_display = [
        "name_ru",
        "trigger",
        "period",
        "period_months",
        "day_kind",
        "remind_days_before",
        "confirmed",
        "uncertain",
        "is_active",
    ]
    list_filter = ["trigger", "day_kind", "confirmed", "uncertain", "is_active"]
    search_fields = ["code", "name_ru", "name_en", "legal_basis"]


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
