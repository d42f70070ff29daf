"""Forms for intake and the records of a client. Forms validate; they change nothing else."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.db.models import F
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from clients.models import Client, IdentityDocument, Registration, ResidencePermit
from clients.validators import PlausibleDates


class EditConflict(Exception):
    """Someone saved the record after this form was opened."""

    def __init__(self, current) -> None:
        super().__init__("edit conflict")
        self.current = current


class VersionedForm(PlausibleDates, forms.ModelForm):
    """A model form that refuses to overwrite a newer version of its record.

    The version the user started from travels in a hidden field; saving bumps it with a
    conditional update, so of two concurrent writers the second is told, never silently
    overwritten."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["expected_version"].initial = self.instance.version

    def save(self, commit: bool = True):
        instance = super().save(commit=False)
        if not commit:
            return instance
        with transaction.atomic():
            if instance.pk:
                expected = self.cleaned_data.get("expected_version")
                bumped = (
                    type(instance)
                    .objects.filter(pk=instance.pk, version=expected)
                    .update(version=F("version") + 1)
                )
                if not bumped:
                    raise EditConflict(type(instance).objects.get(pk=instance.pk))
                instance.version = expected + 1
            instance.save()
            self.save_m2m()
        return instance

    def changed_against(self, current) -> list[tuple[str, str, str]]:
        """(label, their value, your value) for each field that differs from the saved record."""
        rows = []
        for name, field in self.fields.items():
            if name == "expected_version" or name not in self.cleaned_data:
                continue
            theirs = getattr(current, name, None)
            yours = self.cleaned_data[name]
            if str(theirs or "") != str(yours or ""):
                rows.append((field.label, theirs, yours))
        return rows


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClientForm(VersionedForm):
    class Meta:
        model = Client
        fields = [
            "last_name",
            "first_name",
            "patronymic",
            "last_name_latin",
            "first_name_latin",
            "other_spellings",
            "sex",
            "date_of_birth",
            "nationality",
            "languages",
            "needs_interpreter",
            "phone",
            "email",
            "address",
            "community",
            "is_minor_in_family",
            "is_detained",
            "has_health_needs",
            "is_trafficking_victim",
            "vulnerability_notes",
            "consent_given_on",
        ]
        widgets = {
            "date_of_birth": DATE,
            "consent_given_on": DATE,
            "address": forms.Textarea(attrs={"rows": 2}),
            "vulnerability_notes": forms.Textarea(attrs={"rows": 2}),
        }


class IntakeForm(ClientForm):
    """A new client, with the first identity document, and the duplicate check."""

    passport_number = forms.CharField(
        label=capfirst(_("passport number")), max_length=50, required=False
    )
    not_a_duplicate = forms.BooleanField(
        label=_("I checked: this is a different person"), required=False
    )

    class Meta(ClientForm.Meta):
        pass


class IdentityDocumentForm(VersionedForm):
    class Meta:
        model = IdentityDocument
        fields = [
            "kind",
            "number",
            "issuing_country",
            "issued_on",
            "expires_on",
            "held_by",
            "held_since",
            "notes",
        ]
        widgets = {
            "issued_on": DATE,
            "expires_on": DATE,
            "held_since": DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class ResidencePermitForm(VersionedForm):
    class Meta:
        model = ResidencePermit
        fields = [
            "kind",
            "number",
            "issued_by",
            "valid_from",
            "valid_until",
            "status",
            "renewal_applied_on",
            "notes",
        ]
        widgets = {
            "valid_from": DATE,
            "valid_until": DATE,
            "renewal_applied_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class RegistrationForm(VersionedForm):
    class Meta:
        model = Registration
        fields = [
            "city",
            "address",
            "country",
            "registered_from",
            "registered_until",
            "host_name",
            "host_notified_on",
            "notes",
        ]
        widgets = {
            "registered_from": DATE,
            "registered_until": DATE,
            "host_notified_on": DATE,
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
