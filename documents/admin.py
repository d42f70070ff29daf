from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from clients.admin import NoDeleteAdmin, ReadOnlyAdmin
from documents.models import Attachment, Letter, LetterDispatch, Letterhead, LetterTemplate
from documents.sandbox import LetterTemplateError
from documents.template_check import check_template
from documents.uploads import check_logo, stored_name


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["kind", "language", "version", "title", "case_kinds", "body", "is_active"]

    def clean_body(self) -> str:
        """A template that cannot compile, or cannot render within the sandbox's bounds for a
        realistic case of its kind, is refused with the reason."""
        body = self.cleaned_data["body"]
        try:
            check_template(body, kind=self.cleaned_data.get("kind", ""))
        except LetterTemplateError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return body


@admin.register(LetterTemplate)
class LetterTemplateAdmin(NoDeleteAdmin):
    form = LetterTemplateForm
    list_display = ["title", "kind", "language", "version", "is_active"]
    list_filter = ["kind", "language", "is_active"]
    search_fields = ["title", "body"]


class LetterDispatchInline(admin.TabularInline):
    """How the letter went out, as recorded on the case page; only added to, never edited."""

    model = LetterDispatch
    extra = 0
    fields = ["sent_on", "method", "incoming_number", "recorded_by", "recorded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    """Issued letters are shown, never edited: a correction is a new letter."""

    inlines = [LetterDispatchInline]

    list_display = ["number", "case", "template", "issued_at", "issued_by"]
    list_filter = ["template__kind"]
    search_fields = ["number", "case__reference"]
    readonly_fields = [f.name for f in Letter._meta.fields]
    list_select_related = ["case", "template", "issued_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(Attachment)
class AttachmentAdmin(NoDeleteAdmin):
    list_display = ["__str__", "kind", "client", "case", "size", "created_at"]
    list_filter = ["kind"]
    # Files come in only through the upload view, which checks type and size by content.
    exclude = ["file"]
    readonly_fields = ["original_name", "content_type", "size", "sha256", "uploaded_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def get_queryset(self, request):
        return Attachment.objects.visible_to(request.user)


class LetterheadForm(forms.ModelForm):
    class Meta:
        model = Letterhead
        fields = ["office", "logo"]
        help_texts = {
            "logo": _("PNG or JPEG, at most 512 KB; printed up to 40 × 20 mm, left of the name."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The logo is stored under a name of our own (below): the length of the name it had
        # on the administrator's disk is no reason to refuse it.
        self.fields["logo"].max_length = None

    def clean_logo(self):
        """Checked by its content, stored under a name of our own."""
        logo = self.cleaned_data["logo"]
        if isinstance(logo, UploadedFile):  # else the stored logo, unchanged
            checked = check_logo(logo)
            logo.name = stored_name(checked.content_type)
            self.instance.logo_sha256 = checked.sha256
        return logo


@admin.register(Letterhead)
class LetterheadAdmin(NoDeleteAdmin):
    form = LetterheadForm
    list_display = ["office", "updated_at"]
    list_select_related = ["office"]
