"""One form per use case. Forms validate input; they send nothing and change nothing else."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from casework.models import (
    Case,
    CaseNote,
    Court,
    Deadline,
    Fine,
    Hearing,
    Incident,
    MonthlyIndex,
)
from casework.services import SittingCandidate, SittingEntry
from clients.forms import DATE, VersionedForm
from clients.models import Client, Country
from clients.validators import PlausibleDates

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def staff_of(office, group: str):
    return (
        get_user_model()
        .objects.filter(is_active=True, office=office, groups__name=group)
        .order_by("last_name", "first_name")
    )


class CaseForm(VersionedForm):
    class Meta:
        model = Case
        fields = ["kind", "sensitivity", "summary", "opened_on"]
        widgets = {"opened_on": DATE, "summary": forms.Textarea(attrs={"rows": 3})}


class NewCaseForm(CaseForm):
    """Opening a case: who works on it is chosen at once."""

    class Meta(CaseForm.Meta):
        fields = ["kind", "sensitivity", "responsible_lawyer", "paralegal", "summary", "opened_on"]

    def __init__(self, *args, office, opener=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        lawyers = staff_of(office, "lawyer")
        self.fields["responsible_lawyer"].queryset = lawyers
        self.fields["paralegal"].queryset = staff_of(office, "paralegal")
        # A lawyer opening a case is most often the one who takes it.
        if opener is not None and lawyers.filter(pk=opener.pk).exists():
            self.fields["responsible_lawyer"].initial = opener.pk


def staff_in(offices, group: str):
    """Active staff of one role in any of these offices (a queryset of offices or a list)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, office__in=offices, groups__name=group)
        .select_related("office")
        .order_by("office__name", "last_name", "first_name", "pk")
    )


def grouped_by_office(people, *, blank: str):
    """Choices for a select: the people under their office's name (an optgroup), unless
    they all work in one office."""
    groups: dict[str, list] = {}
    for person in people:
        groups.setdefault(person.office.name, []).append((person.pk, person.display_name))
    choices = [("", blank)]
    if len(groups) == 1:
        return [*choices, *next(iter(groups.values()))]
    return [*choices, *groups.items()]


class StaffChoiceField(forms.ModelChoiceField):
    """A lawyer or paralegal from the offices the user covers, grouped by office."""

    def __init__(self, *, label, required: bool = False) -> None:
        super().__init__(
            label=label,
            queryset=get_user_model().objects.none(),
            required=required,
            error_messages={
                "invalid_choice": _("Choose someone who works in an office you cover."),
            },
        )

    def offer(self, offices, group: str) -> None:
        self.queryset = staff_in(offices, group)
        # Callable: read when the select is drawn, so a page that does not show it pays
        # no query.
        self.choices = lambda: grouped_by_office(self.queryset, blank=_("— not assigned —"))


class AssignCaseForm(forms.Form):
    """Who works on a case: the lawyers and paralegals of the offices the assigning user
    covers (every office for a coordinator, their own for a lawyer)."""

    responsible_lawyer = StaffChoiceField(label=capfirst(_("responsible lawyer")))
    paralegal = StaffChoiceField(label=capfirst(_("paralegal")))

    def __init__(self, *args, offices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_lawyer"].offer(offices, "lawyer")
        self.fields["paralegal"].offer(offices, "paralegal")


class TransferCaseForm(forms.Form):
    """Moving a case to another office, with who takes it there."""

    office = forms.ModelChoiceField(
        label=capfirst(_("new office")),
        queryset=None,
        empty_label=_("— choose the office —"),
        error_messages={"invalid_choice": _("Choose one of the offices you cover.")},
    )
    responsible_lawyer = StaffChoiceField(
        label=capfirst(_("responsible lawyer there")), required=True
    )
    paralegal = StaffChoiceField(label=capfirst(_("paralegal there (optional)")))
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case: Case, offices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices.filter(is_active=True).exclude(pk=case.office_id)
        self.fields["responsible_lawyer"].offer(self.fields["office"].queryset, "lawyer")
        self.fields["paralegal"].offer(self.fields["office"].queryset, "paralegal")
        for name in ("responsible_lawyer", "paralegal"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Choose someone who works in the new office."
            )
        if not self.is_bound:
            self.fields["expected_version"].initial = case.version

    def clean(self):
        data = super().clean()
        office = data.get("office")
        for name in ("responsible_lawyer", "paralegal"):
            person = data.get(name)
            if office and person and person.office_id != office.pk:
                self.add_error(
                    name,
                    _("%(name)s works in %(their)s, not in %(office)s.")
                    % {"name": person.display_name, "their": person.office, "office": office},
                )
        return data


class CloseCaseForm(PlausibleDates, forms.Form):
    # No outcome is chosen for the user: a preselected "won" beside the red button was
    # recorded without anyone deciding it.
    outcome = forms.ChoiceField(
        label=capfirst(_("outcome")),
        choices=[("", _("— choose the outcome —")), *(c for c in Case.Outcome.choices if c[0])],
    )
    closed_on = forms.DateField(
        label=capfirst(_("closed on")), widget=DATE, initial=timezone.localdate
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_closed_on(self):
        closed_on = self.cleaned_data["closed_on"]
        if closed_on < self.case.opened_on:
            raise forms.ValidationError(_("A case cannot close before it opened."))
        if closed_on > timezone.localdate():
            raise forms.ValidationError(_("The closing date cannot be in the future."))
        return closed_on


class FineForm(VersionedForm):
    """A fine, its amount in tenge or as a number of MCI of a year: with MCI, the amount is
    computed from that year's index, and both are kept."""

    class Meta:
        model = Fine
        fields = [
            "issued_on",
            "article",
            "mci_count",
            "mci_year",
            "amount",
            "currency",
            "issued_by",
            "officer",
            "protocol_number",
            "decision_received_on",
            "status",
            "paid_on",
            "receipt_number",
            "notes",
        ]
        widgets = {
            "issued_on": DATE,
            "decision_received_on": DATE,
            "paid_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].required = False
        self.fields["amount"].help_text = _(
            "Leave empty when the fine is given in MCI: it is computed from the year's index."
        )
        self.fields["mci_count"].help_text = _("With the MCI year, the amount is computed.")
        self.fields["mci_year"].help_text = _("The year whose index the decision applies.")

    def clean(self):
        cleaned = super().clean()
        count, year = cleaned.get("mci_count"), cleaned.get("mci_year")
        if count is not None and year is None:
            self.add_error("mci_year", _("Give the year of the MCI to compute the amount."))
        elif year is not None and count is None and cleaned.get("amount") is None:
            self.add_error("mci_count", _("Give the number of MCI, or the amount in tenge."))
        elif count is not None:
            index = MonthlyIndex.objects.filter(
                country_id=self.instance.case.office.country_id, year=year
            ).first()
            if index is None:
                self.add_error(
                    "mci_year",
                    _(
                        "There is no MCI value for %(year)s. An administrator adds it under "
                        "Monthly calculation indices; or give the amount in tenge instead."
                    )
                    % {"year": year},
                )
            else:
                cleaned["amount"] = index.amount(count)
                cleaned["currency"] = index.currency
        elif cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Give the amount, or the number of MCI and the year."))
        return cleaned


class HearingForm(VersionedForm):
    class Meta:
        model = Hearing
        fields = ["starts_at", "kind", "court", "judge", "outcome", "decision_received_on", "notes"]
        widgets = {
            "starts_at": DATETIME,
            "decision_received_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class DeadlineForm(VersionedForm):
    class Meta:
        model = Deadline
        fields = ["title", "due_on", "notes", "restoration_motion_on"]
        widgets = {
            "due_on": DATE,
            "restoration_motion_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class CaseNoteForm(VersionedForm):
    class Meta:
        model = CaseNote
        fields = ["happened_at", "kind", "text", "minutes_spent"]
        widgets = {"happened_at": DATETIME, "text": forms.Textarea(attrs={"rows": 3})}


class IncidentForm(VersionedForm):
    class Meta:
        model = Incident
        fields = [
            "title",
            "kind",
            "started_on",
            "ended_on",
            "place",
            "city",
            "authority",
            "detained_count",
            "expelled_count",
            "description",
        ]
        widgets = {
            "started_on": DATE,
            "ended_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class LinkClientsForm(forms.Form):
    clients = forms.ModelMultipleChoiceField(
        label=capfirst(_("clients")), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, visible_clients, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = visible_clients


class QuickClientForm(PlausibleDates, forms.Form):
    """One row of the quick intake after a raid: the least that identifies a person, what
    happened to them in the incident and, when people on record look alike, who they are."""

    last_name = forms.CharField(
        label=capfirst(_("last name (Cyrillic)")), max_length=100, required=False
    )
    first_name = forms.CharField(
        label=capfirst(_("first name (Cyrillic)")), max_length=100, required=False
    )
    last_name_latin = forms.CharField(
        label=capfirst(_("last name (Latin)")), max_length=100, required=False
    )
    first_name_latin = forms.CharField(
        label=capfirst(_("first name (Latin)")), max_length=100, required=False
    )
    nationality = forms.ModelChoiceField(
        label=capfirst(_("citizenship")), queryset=None, required=False
    )
    date_of_birth = forms.DateField(label=capfirst(_("date of birth")), widget=DATE, required=False)
    sex = forms.ChoiceField(
        label=capfirst(_("sex")), choices=[("", "—"), *Client.Sex.choices], required=False
    )
    phone = forms.CharField(label=capfirst(_("phone")), max_length=50, required=False)
    passport_number = forms.CharField(
        label=capfirst(_("passport number")), max_length=50, required=False
    )
    detained = forms.BooleanField(label=capfirst(_("detained")), required=False, initial=True)
    expelled = forms.BooleanField(label=capfirst(_("expelled")), required=False)
    languages = forms.CharField(label=capfirst(_("languages")), max_length=200, required=False)
    # Only asked when people on record look alike: "new", or the pk of one of them.
    match = forms.CharField(required=False, max_length=20)
    update_existing = forms.BooleanField(
        label=capfirst(_("add the typed spelling and passport number to their record")),
        required=False,
    )

    # The columns of the table, in the order a pasted spreadsheet row fills them.
    COLUMNS = (
        "last_name",
        "first_name",
        "last_name_latin",
        "first_name_latin",
        "nationality",
        "date_of_birth",
        "sex",
        "phone",
        "passport_number",
        "detained",
        "expelled",
        "languages",
    )
    # A row with none of these typed is an empty row ("detained" is ticked by default).
    TYPED = tuple(name for name in COLUMNS if name != "detained")
    NEW = "new"

    def __init__(self, *args, country_choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationality"].queryset = Country.objects.filter(is_active=True)
        # Choices are built once for the whole formset, not one query per row.
        self.fields["nationality"].choices = country_choices
        for name in self.COLUMNS:
            widget = self.fields[name].widget
            # The column headers are one line for the whole table: each input names its row.
            widget.attrs["aria-label"] = _("%(column)s, row %(number)s") % {
                "column": capfirst(self.fields[name].label),
                "number": self.number,
            }
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs.update(autocomplete="off", **{"class": "form-control form-control-sm"})
        self.candidates: list[Client] = []

    @property
    def columns(self) -> list[forms.BoundField]:
        return [self[name] for name in self.COLUMNS]

    @property
    def number(self) -> str:
        """The row's number as people count (1 for the first); a placeholder in the template
        row that the page's script copies when a pasted spreadsheet needs more rows."""
        index = self.prefix.rsplit("-", 1)[-1]
        return str(int(index) + 1) if index.isdigit() else "__number__"

    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) for name in self.TYPED)

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born and born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return born

    def clean_match(self) -> str:
        match = self.cleaned_data["match"]
        if match and match != self.NEW and not match.isdigit():
            raise forms.ValidationError(_("Choose one of the people shown."))
        return match

    def clean(self):
        data = super().clean()
        if self.is_blank():
            return data
        if not (data.get("last_name") or data.get("last_name_latin")):
            raise forms.ValidationError(_("Enter the last name in Cyrillic or Latin."))
        if data.get("passport_number") and not data.get("nationality"):
            self.add_error("nationality", _("Say which country issued the passport."))
        return data

    def similar_to(self) -> dict[str, str]:
        """What the duplicate check compares: the names and the document number."""
        names = ("last_name", "first_name", "last_name_latin", "first_name_latin")
        return {name: self.cleaned_data[name] for name in names} | {
            "document_number": self.cleaned_data["passport_number"]
        }

    def offer(self, candidates: list[Client]) -> None:
        """People on record who may be this row's person: the row then needs a choice."""
        self.candidates = candidates
        match = self.cleaned_data.get("match")
        if match == self.NEW:
            return
        if match and not candidates:
            # Chosen earlier, but what is typed now matches nobody: never a silent new client.
            self.add_error(
                "match",
                _(
                    "The person chosen earlier no longer matches this row. Check it and save "
                    "again: it will then be registered as a new client."
                ),
            )
        elif candidates and self.chosen() is None:
            self.add_error(
                "match", _("Say whether this is one of the people on record or someone else.")
            )

    def chosen(self) -> Client | None:
        """The person on record this row was recognised as, if any."""
        match = self.cleaned_data.get("match")
        return next((c for c in self.candidates if str(c.pk) == match), None)

    @property
    def needs_choice_only(self) -> bool:
        """Valid but for the choice between people on record and someone new."""
        return set(self.errors) == {"match"} and bool(self.candidates)


class BaseQuickIntakeFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if all(not row.errors and row.is_blank() for row in self.forms):
            raise forms.ValidationError(_("Type at least one person."))

    def filled(self) -> list[QuickClientForm]:
        return [row for row in self if row.is_valid() and not row.is_blank()]


QuickIntakeFormSet = forms.formset_factory(
    QuickClientForm, formset=BaseQuickIntakeFormSet, extra=5, max_num=100, validate_max=True
)


def quick_intake_formset(data=None) -> QuickIntakeFormSet:
    choices = [("", "---------")] + [
        (country.pk, str(country)) for country in Country.objects.filter(is_active=True)
    ]
    return QuickIntakeFormSet(data, prefix="intake", form_kwargs={"country_choices": choices})


class OpenCasesForm(forms.Form):
    kind = forms.ChoiceField(
        label=capfirst(_("kind of case")), choices=Case.Kind.choices, initial="expulsion"
    )
    responsible_lawyer = forms.ModelChoiceField(
        label=capfirst(_("responsible lawyer")),
        queryset=get_user_model().objects.none(),
        required=False,
    )

    def __init__(self, *args, office, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_lawyer"].queryset = staff_of(office, "lawyer")


MAX_PERIOD_DAYS = 10 * 366


class DashboardFilterForm(PlausibleDates, forms.Form):
    """The dashboard's office, period and passport threshold, read from the query string."""

    office = forms.ModelChoiceField(
        label=capfirst(_("office")), queryset=None, required=False, empty_label=_("All I can see")
    )
    held_days = forms.IntegerField(
        label=capfirst(_("passports held at least, days")),
        min_value=1,
        max_value=3650,
        required=False,
    )

    def __init__(self, data, *, offices, start, end) -> None:
        # The default period is filled in, so the page shows the dates it uses.
        data = data.copy()
        data.setdefault("from", start.isoformat())
        data.setdefault("to", end.isoformat())
        super().__init__(data)
        self.fields["office"].queryset = offices
        # "from" and "to" are the names in the URL; neither can be a class attribute.
        self.fields["from"] = forms.DateField(
            label=capfirst(_("from")), required=False, widget=DATE
        )
        self.fields["to"] = forms.DateField(label=capfirst(_("to")), required=False, widget=DATE)
        self.order_fields(["office", "from", "to", "held_days"])
        self.default_period = (start, end)

    def clean(self) -> dict:
        data = super().clean()
        start = data.get("from") or self.default_period[0]
        end = data.get("to") or self.default_period[1]
        if "from" in data and "to" in data:
            if start > end:
                raise forms.ValidationError(_("The period must start before it ends."))
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose a period of at most ten years."))
        data["from"], data["to"] = start, end
        return data


TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
UNDECIDED = (Hearing.Outcome.PENDING, Hearing.Outcome.POSTPONED)


class CourtSittingForm(forms.Form):
    """What one court sitting had in common for everyone it decided."""

    court = forms.ModelChoiceField(
        label=capfirst(_("court")), queryset=None, empty_label=_("— choose the court —")
    )
    starts_at = forms.DateTimeField(label=capfirst(_("date and time")), widget=DATETIME)
    judge = forms.CharField(label=capfirst(_("judge")), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=capfirst(_("kind of hearing")), choices=Hearing.Kind.choices, initial="expulsion"
    )
    outcome = forms.ChoiceField(
        label=capfirst(_("decision")), choices=Hearing.Outcome.choices, initial="expulsion_ordered"
    )
    decision_received_on = forms.DateField(
        label=capfirst(_("copy of the decision received on")),
        widget=DATE,
        required=False,
        help_text=_(
            "The appeal period runs from this day. A person who got it on another day "
            "gets their own date in their row."
        ),
    )
    responsible_lawyer = forms.ModelChoiceField(
        label=capfirst(_("responsible lawyer for new cases")),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("— nobody yet —"),
        help_text=_(
            "Appeals are signed by the responsible lawyer: without one they cannot be printed."
        ),
    )

    def __init__(self, *args, office, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = Court.objects.filter(is_active=True)
        self.fields["responsible_lawyer"].queryset = staff_of(office, "lawyer")


class SittingPersonForm(forms.Form):
    """One person's row of a court sitting: included or not, and what differs for them.
    An empty field takes the sitting's value."""

    include = forms.BooleanField(required=False, initial=True)
    decision_received_on = forms.DateField(
        label=capfirst(_("copy received on")), widget=DATE, required=False
    )
    outcome = forms.ChoiceField(
        label=capfirst(_("decision")),
        choices=[("", _("as for everyone")), *Hearing.Outcome.choices],
        required=False,
    )
    judge = forms.CharField(label=capfirst(_("judge")), max_length=200, required=False)
    time = forms.TimeField(label=capfirst(_("time")), widget=TIME, required=False)


class CourtSitting:
    """The sitting's form and one row form per person, validated together: the page saves
    all of them or none."""

    def __init__(self, data, *, candidates: list[SittingCandidate], office, can_open: bool):
        self.form = CourtSittingForm(data, office=office)
        self.rows = [
            (candidate, SittingPersonForm(data, prefix=f"p{candidate.link.pk}"))
            for candidate in candidates
        ]
        self.can_open = can_open
        self.errors: list[str] = []

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        valid = all([row.is_valid() for _c, row in self.rows]) and valid
        if not valid:
            return False
        # Errors added below drop their field from cleaned_data: keep the values read.
        self.common = dict(self.form.cleaned_data)
        chosen = [(c, row) for c, row in self.rows if row.cleaned_data["include"]]
        if not chosen:
            self.errors.append(_("Tick at least one person."))
            return False
        for candidate, row in chosen:
            self._check(candidate, row)
        return not self.form.errors and not any(row.errors for _c, row in chosen)

    def _check(self, candidate: SittingCandidate, row: SittingPersonForm) -> None:
        common, own = self.common, dict(row.cleaned_data)
        received = own["decision_received_on"] or common["decision_received_on"]
        outcome = own["outcome"] or common["outcome"]
        sitting_day = timezone.localtime(common["starts_at"]).date()
        # An error sits on the row when the row set the value, else once on the sitting.
        where = row if own["decision_received_on"] else self.form
        if received and outcome in UNDECIDED:
            if own["outcome"]:
                self._add(row, "outcome", _NO_DECISION_YET)
            else:
                self._add(where, "decision_received_on", _NO_DECISION_YET)
        elif received and received < sitting_day:
            self._add(where, "decision_received_on", _BEFORE_SITTING)
        elif received and received > timezone.localdate():
            self._add(where, "decision_received_on", _IN_FUTURE)
        if candidate.case is None and not self.can_open:
            row.add_error(None, _("This person has no case yet, and you may not open one."))

    @staticmethod
    def _add(form: forms.Form, field: str, message) -> None:
        if str(message) not in [str(e) for e in form.errors.get(field, [])]:
            form.add_error(field, message)

    def entries(self) -> list[SittingEntry]:
        common = self.common
        start = timezone.localtime(common["starts_at"])
        entries = []
        for candidate, row in self.rows:
            own = row.cleaned_data
            if not own["include"]:
                continue
            starts_at = start
            if own["time"]:
                moment = datetime.combine(start.date(), own["time"])
                starts_at = timezone.make_aware(moment)
            entries.append(
                SittingEntry(
                    client_id=candidate.link.client_id,
                    starts_at=starts_at,
                    judge=own["judge"] or common["judge"],
                    outcome=own["outcome"] or common["outcome"],
                    decision_received_on=own["decision_received_on"]
                    or common["decision_received_on"],
                )
            )
        return entries


_NO_DECISION_YET = _(
    "The hearing has no decision yet, so there is no copy to receive: choose the decision "
    "or leave the date empty."
)
_BEFORE_SITTING = _("A copy of the decision cannot be received before the sitting.")
_IN_FUTURE = _("This date is in the future.")
