from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from clients.models import (
    Authority,
    Client,
    Country,
    Erasure,
    IdentityDocument,
    PermitKind,
    Registration,
    ResidencePermit,
    name_matches,
)
from clients.services import announce_document, announce_permit


class NoDeleteAdmin(SimpleHistoryAdmin):
    """Records are archived, never deleted: nobody gets the delete action or button."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Country)
class CountryAdmin(NoDeleteAdmin):
    list_display = ["code", "name_ru", "name_en", "eaeu_member", "is_active"]
    list_filter = ["eaeu_member", "is_active"]
    search_fields = ["code", "name_ru", "name_en"]


@admin.register(Authority)
class AuthorityAdmin(NoDeleteAdmin):
    list_display = ["name_ru", "kind", "city", "country", "is_active"]
    list_filter = ["kind", "country", "is_active"]
    search_fields = ["name_ru", "name_en", "city"]


@admin.register(PermitKind)
class PermitKindAdmin(NoDeleteAdmin):
    list_display = [
        "name_ru",
        "country",
        "code",
        "max_months",
        "allows_work",
        "remind_days_before",
        "confirmed",
    ]
    list_filter = ["country", "confirmed", "allows_work"]
    search_fields = ["name_ru", "name_en", "code"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by Casework itself (the access record, issued letters, erasures): to
    browse and filter; nothing here adds, changes or deletes one."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class VisibleClientRecordsMixin:
    """The admin shows only the clients the user may see, through the one access helper."""

    client_path = "client"

    def get_queryset(self, request):
        visible = Client.objects.visible_to(request.user)
        return super().get_queryset(request).filter(**{f"{self.client_path}__in": visible})


class IdentityDocumentInline(admin.TabularInline):
    model = IdentityDocument
    extra = 0
    fields = [
        "kind",
        "number",
        "issuing_country",
        "issued_on",
        "expires_on",
        "held_by",
        "held_since",
    ]
    autocomplete_fields = ["held_by"]
    can_delete = False


class ResidencePermitInline(admin.TabularInline):
    model = ResidencePermit
    extra = 0
    fields = ["kind", "number", "status", "valid_from", "valid_until", "renewal_applied_on"]
    can_delete = False


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["city", "address", "country", "registered_from", "registered_until", "host_name"]
    can_delete = False


@admin.register(Client)
class ClientAdmin(NoDeleteAdmin):
    list_display = ["__str__", "nationality", "date_of_birth", "office", "archived_at"]
    list_filter = ["office", "nationality", "sex", "is_detained", "needs_interpreter"]
    search_fields = ["search_key"]
    readonly_fields = ["created_at", "updated_at", "created_by"]
    list_select_related = ["nationality", "office"]
    inlines = [IdentityDocumentInline, ResidencePermitInline, RegistrationInline]
    fieldsets = [
        (
            _("Names"),
            {
                "fields": [
                    ("last_name", "first_name", "patronymic"),
                    ("last_name_latin", "first_name_latin"),
                    "other_spellings",
                ]
            },
        ),
        (
            _("Person"),
            {
                "fields": [
                    ("sex", "date_of_birth", "nationality"),
                    ("languages", "needs_interpreter"),
                    ("phone", "email"),
                    "address",
                    "community",
                    "office",
                ]
            },
        ),
        (
            _("Vulnerability"),
            {
                "fields": [
                    (
                        "is_minor_in_family",
                        "is_detained",
                        "has_health_needs",
                        "is_trafficking_victim",
                    ),
                    "vulnerability_notes",
                ]
            },
        ),
        (
            _("Consent and record"),
            {
                "fields": [
                    "consent_given_on",
                    "archived_at",
                    "created_by",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return Client.objects.visible_to(request.user).select_related(
            "nationality", "office", "erasure"
        )

    def has_change_permission(self, request, obj=None) -> bool:
        # An erased client is a placeholder kept for the figures: nothing fills it up again.
        return super().has_change_permission(request, obj) and not (obj and obj.is_erased)

    def get_search_results(self, request, queryset, search_term):
        # Any spelling in either script finds the person: search the folded key.
        return queryset.filter(name_matches(search_term)), False

    def save_model(self, request, obj, form, change) -> None:
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    # Permits and documents edited in the client's inlines are announced as anywhere else.
    ANNOUNCE = {ResidencePermit: announce_permit, IdentityDocument: announce_document}

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        announce = self.ANNOUNCE.get(formset.model)
        if announce is not None:
            for record in formset.new_objects:
                announce(record, created=True)
            for record, _fields in formset.changed_objects:
                announce(record, created=False)


@admin.register(IdentityDocument)
class IdentityDocumentAdmin(VisibleClientRecordsMixin, NoDeleteAdmin):
    list_display = ["__str__", "client", "issuing_country", "expires_on", "held_by", "held_since"]
    list_filter = ["kind", "issuing_country", "held_by"]
    search_fields = ["number", "client__search_key"]
    autocomplete_fields = ["client", "held_by"]
    list_select_related = ["client", "issuing_country", "held_by"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        announce_document(obj, created=not change)


@admin.register(ResidencePermit)
class ResidencePermitAdmin(VisibleClientRecordsMixin, NoDeleteAdmin):
    list_display = [
        "__str__",
        "client",
        "status",
        "valid_from",
        "valid_until",
        "renewal_applied_on",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["number", "client__search_key"]
    autocomplete_fields = ["client"]
    date_hierarchy = "valid_until"
    list_select_related = ["client", "kind"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        announce_permit(obj, created=not change)


@admin.register(Registration)
class RegistrationAdmin(VisibleClientRecordsMixin, NoDeleteAdmin):
    list_display = ["client", "city", "address", "registered_from", "registered_until"]
    list_filter = ["city", "country"]
    search_fields = ["address", "city", "client__search_key"]
    autocomplete_fields = ["client"]
    list_select_related = ["client"]


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    """Who erased which client, when and why; never what was erased."""

    list_display = ["erased_at", "client", "erased_by", "reason", "note"]
    list_filter = ["reason", "erased_at"]
    readonly_fields = [f.name for f in Erasure._meta.fields]
    list_select_related = ["client", "erased_by"]
    date_hierarchy = "erased_at"
