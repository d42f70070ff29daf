"""Forms of the documents app."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.formats import short_date
from casework.forms import DATETIME
from casework.models import Hearing
from clients.forms import DATE, VersionedForm
from clients.models import Client, Erasure
from clients.validators import PlausibleDates
from documents import uploads
from documents.circumstances import CIRCUMSTANCES, QUESTIONS, default_circumstances
from documents.erasure import erasure_note_names_the_person
from documents.letters import case_records
from documents.models import Attachment, Letter, LetterDispatch, LetterTemplate, reader_language


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
        # The form sits on case and client pages beside other forms with a "kind" or a
        # "title": ids of its own keep each label tied to its own field.
        kwargs.setdefault("auto_id", "id_attachment_%s")
        super().__init__(*args, **kwargs)
        self.name_shortened = False
        self.fields["file"].help_text = gettext("PDF, JPEG or PNG, up to %(limit)s MB.") % {
            "limit": uploads.megabytes(uploads.max_bytes())
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        checked = uploads.check_upload(upload)
        self.instance.original_name = uploads.display_name(upload.name)
        self.name_shortened = uploads.name_was_shortened(upload.name)
        self.instance.content_type = checked.content_type
        self.instance.size = checked.size
        self.instance.sha256 = checked.sha256
        upload.name = uploads.stored_name(checked.content_type)
        return upload

    def notice(self) -> str:
        """What the uploader should know about a file that was taken: a name too long to
        list was shortened."""
        if not self.name_shortened:
            return ""
        return gettext(
            "The file name was longer than %(limit)s characters, so it is kept shortened: "
            "“%(name)s”. Add a title if the name does not say what the file is."
        ) % {"limit": uploads.NAME_MAX_LENGTH, "name": self.instance.original_name}


ENGLISH_HINTS = ("англ", "english", "франц", "french", "français")


def preferred_language(client) -> str:
    """Russian unless the client reads English or French and not Russian."""
    languages = client.languages.lower()
    if any(hint in languages for hint in ENGLISH_HINTS) and "рус" not in languages:
        return "en"
    return "ru"


class LetterForm(forms.Form):
    template = forms.ModelChoiceField(
        label=capfirst(_("letter")), queryset=LetterTemplate.objects.none()
    )
    addressee_title = forms.CharField(
        label=capfirst(_("addressee")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty for the usual addressee of this kind of letter."),
    )
    power_of_attorney = forms.CharField(
        label=capfirst(_("power of attorney (number and date)")), required=False, max_length=200
    )
    # Offered for the kinds of letter whose facts vary (documents.circumstances): its label
    # and boxes are the chosen letter's.
    circumstances = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each ticked item adds its paragraphs to the letter. Ticked at first from the "
            "case's records; anything else goes in the facts."
        ),
    )
    # The kind of letter the boxes were ticked for: a form sent for another kind (the user
    # chose another letter), or a link that sent no boxes, starts from the case's records.
    circumstances_for = forms.CharField(required=False, widget=forms.HiddenInput)
    facts = forms.CharField(
        label=capfirst(_("facts")), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    grounds = forms.CharField(
        label=capfirst(_("grounds")), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    request = forms.CharField(
        label=capfirst(_("request")), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    issue_with_missing = forms.BooleanField(
        label=_("Issue even though some merge fields are empty"), required=False
    )

    PARAGRAPHS = ("facts", "grounds", "request", "power_of_attorney")

    def __init__(self, *args, case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        language = preferred_language(case.client)
        templates = list(LetterTemplate.objects.filter(is_active=True))

        def rank(template: LetterTemplate):
            # Letters written for this kind of case first, then letters for any case (a
            # power of attorney), then the rest; the client's language before others.
            kinds = [k.strip() for k in template.case_kinds.split(",") if k.strip()]
            fit = 0 if case.kind in kinds else 1 if not kinds else 2
            return (fit, template.language != language, template.label)

        templates.sort(key=rank)
        self.fields["template"].queryset = LetterTemplate.objects.filter(is_active=True)
        self.fields["template"].choices = [("", "---------")] + [(t.pk, t.label) for t in templates]
        if not self.is_bound and templates and "template" not in self.initial:
            self.initial["template"] = templates[0].pk
        self._offer_circumstances(case, templates)

    def _offer_circumstances(self, case, templates: list[LetterTemplate]) -> None:
        """The boxes of the chosen letter's kind, ticked as sent, as the corrected letter
        had them, or from the case's records."""
        chosen = self.data.get("template") if self.is_bound else self.initial.get("template")
        kind = next((t.kind for t in templates if str(t.pk) == str(chosen)), None)
        if kind not in CIRCUMSTANCES:
            del self.fields["circumstances"], self.fields["circumstances_for"]
            return
        field = self.fields["circumstances"]
        field.choices = CIRCUMSTANCES[kind]
        field.label = capfirst(QUESTIONS[kind])
        codes = {code for code, _label in field.choices}
        if self.is_bound:
            if self.data.get("circumstances_for") != kind:
                data = self.data.copy()
                defaults = self._default_circumstances(kind, case)
                if hasattr(data, "setlist"):
                    data.setlist("circumstances", defaults)
                else:
                    data["circumstances"] = defaults
                data["circumstances_for"] = kind
                self.data = data
            return
        # Letters issued before other kinds had boxes kept them for the prosecutor only.
        given_for = self.initial.get("circumstances_for", LetterTemplate.Kind.PROSECUTOR_COMPLAINT)
        given = self.initial.get("circumstances")
        if given is None or given_for != kind or not set(given) <= codes:
            self.initial["circumstances"] = self._default_circumstances(kind, case)
        self.initial["circumstances_for"] = kind

    @staticmethod
    def _default_circumstances(kind: str, case) -> list[str]:
        return default_circumstances(kind, case, case_records([case])[case.pk])

    def paragraphs(self) -> dict:
        """What the lawyer wrote and ticked, as merge_context and the issued letter keep it."""
        paragraphs = {name: self.cleaned_data.get(name, "") for name in self.PARAGRAPHS}
        if "circumstances" in self.fields:
            paragraphs["circumstances"] = self.cleaned_data.get("circumstances", [])
            paragraphs["circumstances_for"] = self.cleaned_data.get("circumstances_for", "")
        return paragraphs


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: LetterTemplate) -> str:
        return obj.label


class BatchForm(forms.Form):
    template = TemplateChoiceField(
        label=capfirst(_("letter")), queryset=LetterTemplate.objects.filter(is_active=True)
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The reader's language first, then by name as the reader sees it.
        reader = reader_language()
        templates = sorted(
            self.fields["template"].queryset, key=lambda t: (t.language != reader, t.label)
        )
        self.fields["template"].choices = [("", "---------")] + [(t.pk, t.label) for t in templates]


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
                % {"date": short_date(issued_on)}
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
