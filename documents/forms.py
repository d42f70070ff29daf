"""Forms of the documents app."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.forms import DATETIME
from casework.models import Hearing
from clients.forms import DATE, VersionedForm
from clients.models import Client, Erasure
from clients.validators import PlausibleDates
from documents import uploads
from documents.erasure import erasure_note_names_the_person
from documents.letters import CIRCUMSTANCES, case_records, default_circumstances
from documents.models import Attachment, Letter, LetterDispatch, LetterTemplate


class AttachmentForm(forms.ModelForm):
    """A scan for a client or a case. The file's type is read from its content; the name the
    uploader gave it is kept for display only, and the stored file gets a name of our own."""

    # No max_length: a long name on the uploader's disk is no reason to refuse the scan.
    file = forms.FileField(
        label=_("File"),
        widget=forms.FileInput(attrs={"accept": uploads.ACCEPT}),
    )

    class Meta:
        model = Attachment
        fields = ["kind", "title", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext("PDF, JPEG or PNG, up to %(limit)s MB.") % {
            "limit": uploads.megabytes(uploads.max_bytes())
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        checked = uploads.check_upload(upload)
        self.instance.original_name = uploads.display_name(upload.name)
        self.instance.content_type = checked.content_type
        self.instance.size = checked.size
        self.instance.sha256 = checked.sha256
        upload.name = uploads.stored_name(checked.content_type)
        return upload


ENGLISH_HINTS = ("англ", "english", "франц", "french", "français")


def preferred_language(client) -> str:
    """Russian unless the client reads English or French and not Russian."""
    languages = client.languages.lower()
    if any(hint in languages for hint in ENGLISH_HINTS) and "рус" not in languages:
        return "en"
    return "ru"


class LetterForm(forms.Form):
    template = forms.ModelChoiceField(label=_("letter"), queryset=LetterTemplate.objects.none())
    addressee_title = forms.CharField(
        label=_("addressee"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty for the usual addressee of this kind of letter."),
    )
    power_of_attorney = forms.CharField(
        label=_("power of attorney (number and date)"), required=False, max_length=200
    )
    circumstances = forms.MultipleChoiceField(
        label=_("what happened"),
        choices=CIRCUMSTANCES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "For letters whose facts vary, such as the complaint to the prosecutor: each "
            "ticked item adds its paragraphs. Ticked at first from the case's records; "
            "anything else goes in the facts."
        ),
    )
    # Tells a submitted form with nothing ticked from a link that did not send the field.
    circumstances_given = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)
    facts = forms.CharField(
        label=_("facts"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    grounds = forms.CharField(
        label=_("grounds"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    request = forms.CharField(
        label=_("request"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    issue_with_missing = forms.BooleanField(
        label=_("Issue even though some merge fields are empty"), required=False
    )

    PARAGRAPHS = ("facts", "grounds", "request", "power_of_attorney", "circumstances")

    def __init__(self, *args, case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and "circumstances_given" not in self.data:
            data = self.data.copy()
            defaults = self._default_circumstances(case)
            if hasattr(data, "setlist"):
                data.setlist("circumstances", defaults)
            else:
                data["circumstances"] = defaults
            data["circumstances_given"] = "1"
            self.data = data
        elif not self.is_bound and "circumstances" not in self.initial:
            self.initial["circumstances"] = self._default_circumstances(case)
        language = preferred_language(case.client)
        templates = list(LetterTemplate.objects.filter(is_active=True))

        def rank(template: LetterTemplate):
            kinds = [k.strip() for k in template.case_kinds.split(",") if k.strip()]
            fits_case = not kinds or case.kind in kinds
            return (not fits_case, template.language != language, template.title)

        templates.sort(key=rank)
        self.fields["template"].queryset = LetterTemplate.objects.filter(is_active=True)
        self.fields["template"].choices = [("", "---------")] + [
            (t.pk, f"{t.title} ({t.get_language_display()})") for t in templates
        ]
        if not self.is_bound and templates and "template" not in self.initial:
            self.initial["template"] = templates[0].pk

    @staticmethod
    def _default_circumstances(case) -> list[str]:
        return default_circumstances(case, case_records([case])[case.pk])

    def paragraphs(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in self.PARAGRAPHS}


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: LetterTemplate) -> str:
        return f"{obj.title} ({obj.get_language_display()})"


class BatchForm(forms.Form):
    template = TemplateChoiceField(
        label=capfirst(_("letter")), queryset=LetterTemplate.objects.filter(is_active=True)
    )


# The hearing fields a batch letter may lack that the batch page fills in place.
HEARING_FIXES = {
    "hearing.court": "court",
    "hearing.starts_at": "starts_at",
    "hearing.decision_received_on": "decision_received_on",
    "hearing.judge": "judge",
}
NEW_HEARING_FIELDS = ("kind", "starts_at", "court", "judge", "outcome", "decision_received_on")
NOT_DECIDED = (Hearing.Outcome.PENDING, Hearing.Outcome.POSTPONED)


class BatchHearingForm(VersionedForm):
    """From the batch page: only what a client's letter lacks from their hearing, or, when
    the case has no hearing, the hearing itself with its decision."""

    class Meta:
        model = Hearing
        fields = list(NEW_HEARING_FIELDS)
        widgets = {"starts_at": DATETIME, "decision_received_on": DATE}

    def __init__(self, *args, missing: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            wanted = set(NEW_HEARING_FIELDS)
            self.initial.setdefault("kind", Hearing.Kind.EXPULSION)
        else:
            wanted = {HEARING_FIXES[code] for code in missing if code in HEARING_FIXES}
            if "decision_received_on" in wanted and self.instance.outcome in NOT_DECIDED:
                wanted.add("outcome")  # a received decision needs the decision itself
        for name in [n for n in NEW_HEARING_FIELDS if n not in wanted]:
            del self.fields[name]
        for name, form_field in self.fields.items():
            if name in wanted:
                form_field.required = name != "judge" or "hearing.judge" in missing
        if "outcome" in self.fields:
            self.fields["outcome"].choices = [
                choice for choice in Hearing.Outcome.choices if choice[0] not in NOT_DECIDED
            ]

    @property
    def has_fixes(self) -> bool:
        return any(name != "expected_version" for name in self.fields)


class LetterDispatchForm(PlausibleDates, forms.ModelForm):
    """When and how a letter went out; shown again, filled in, to correct it."""

    class Meta:
        model = LetterDispatch
        fields = ["sent_on", "method", "incoming_number"]
        widgets = {"sent_on": DATE}

    def __init__(self, *args, letter: Letter, **kwargs) -> None:
        kwargs.setdefault("prefix", f"dispatch-{letter.pk}")
        super().__init__(*args, **kwargs)
        self.letter = letter

    def clean_sent_on(self):
        sent_on = self.cleaned_data["sent_on"]
        if sent_on > timezone.localdate():
            raise forms.ValidationError(gettext("A letter cannot be sent in the future."))
        issued_on = timezone.localdate(self.letter.issued_at)
        if sent_on < issued_on:
            raise forms.ValidationError(
                gettext("The letter was issued on %(date)s; it cannot be sent before that.")
                % {"date": issued_on.strftime("%d.%m.%Y")}
            )
        return sent_on


class ErasureForm(forms.Form):
    """The ground for erasing a client, and their last name typed again as confirmation: the
    erasure cannot be undone, so a slip of the mouse must not start it."""

    reason = forms.ChoiceField(
        label=_("Ground"), choices=Erasure.Reason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note for the record"),
        max_length=Erasure._meta.get_field("note").max_length,
        required=False,
        help_text=_(
            "For example, the date and number of the client's request. Without the client's "
            "name, documents or phone: the record of the erasure keeps no personal data."
        ),
    )
    confirm = forms.CharField(label=_("The client's last name, to confirm"), max_length=100)

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client

    def clean_note(self) -> str:
        note = " ".join(self.cleaned_data["note"].split())
        if note and erasure_note_names_the_person(note, self.client):
            raise forms.ValidationError(
                _("The note names the client (a name, a number or a phone). Leave it out.")
            )
        return note

    def clean_confirm(self) -> str:
        typed = " ".join(self.cleaned_data["confirm"].split()).casefold()
        names = {self.client.last_name.casefold(), self.client.last_name_latin.casefold()}
        if typed not in names - {""}:
            raise forms.ValidationError(
                _("This is not the client's last name as recorded. Type it as shown above.")
            )
        return typed

    def clean(self):
        data = super().clean()
        if data.get("reason") == Erasure.Reason.OTHER and not data.get("note"):
            self.add_error("note", _("Say what the ground is."))
        return data
