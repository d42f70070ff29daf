"""Letters: the merge fields a template may use (its sandbox is documents.sandbox), what a
letter lacks, and the frame that turns its body into a printable HTML document.

A template body only ever sees plain values (strings, dates, numbers) in a few dicts built
here from one case: never a model instance, so `{{ client.cases }}` or `{{ office.staff }}`
has nothing to walk, and no tag can reach files or settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from casework.models import Case, Court, Deadline, DeadlineRule, Fine, Hearing
from casework.money import format_money
from clients.models import Authority, IdentityDocument, ResidencePermit
from documents.circumstances import CIRCUMSTANCES, default_circumstances
from documents.models import Letterhead
from documents.pdf import image_url
from documents.sandbox import referenced_fields


class Missing:
    """A merge field with no value: false and empty in the letter, flagged in the preview."""

    def __init__(self, path: str, *, visible: bool = False) -> None:
        self.path = path
        self.visible = visible

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return ""

    def __html__(self) -> str:
        if not self.visible:
            return ""
        label = MISSING_LABELS.get(self.path, UNKNOWN_FIELD)
        return format_html('<mark class="missing">[{}]</mark>', label)


def _values(prefix: str, preview: bool = False, **values) -> dict:
    """Plain values; an empty one becomes Missing so the preview can point at it."""
    return {
        key: (value if value not in (None, "") else Missing(f"{prefix}.{key}", visible=preview))
        for key, value in values.items()
    }


def _name(reference) -> str | None:
    return str(reference) if reference is not None else None


# Who a letter of each kind goes to when the user does not say otherwise.
ADDRESSEE_AUTHORITY = {
    "fine_complaint": Authority.Kind.MIGRATION_POLICE,
    "prosecutor_complaint": Authority.Kind.PROSECUTOR,
    "permit_extension": Authority.Kind.MIGRATION_SERVICE,
    "passport_return": Authority.Kind.MIGRATION_SERVICE,
    "fine_paid": Authority.Kind.MIGRATION_POLICE,
    "information_request": Authority.Kind.MIGRATION_POLICE,
}


def _looked_up(cache: dict | None, key: tuple, lookup):
    """One lookup per key and page: letters for many clients share their courts and
    authorities by city."""
    if cache is None:
        return lookup()
    if key not in cache:
        cache[key] = lookup()
    return cache[key]


def default_addressee(
    kind: str, case: Case, *, fine=None, hearing=None, document=None, cache: dict | None = None
) -> dict:
    """The usual addressee: the appeal court, the fining unit, the body holding the passport,
    or the office city's authority of the right kind."""
    city = case.office.city
    if kind == "power_of_attorney":
        return {"title": "", "name": "", "address": ""}
    if kind == "expulsion_appeal":
        deciding = hearing.court if hearing and hearing.court_id else None
        court = appeal_court_for(deciding, city, cache=cache)
        # Handed in through the court that decided, addressed to the one above it: never
        # "to" and "through" the same court.
        via = deciding.name_ru if deciding and court and deciding.pk != court.pk else ""
        return {
            "title": court.addressee_line if court else "",
            "name": "",
            "address": court.address if court else "",
            "via": via,
        }
    authority = None
    if kind == "passport_return" and document is not None and document.held_by_id:
        authority = document.held_by
    elif kind in ("fine_complaint", "fine_paid") and fine is not None and fine.issued_by_id:
        authority = fine.issued_by
    if authority is None and kind in ADDRESSEE_AUTHORITY:
        authority = _looked_up(
            cache,
            ("authority", ADDRESSEE_AUTHORITY[kind], city),
            lambda: Authority.objects.filter(
                kind=ADDRESSEE_AUTHORITY[kind], city=city, is_active=True
            ).first(),
        )
    if authority is None:
        return {"title": "", "name": "", "address": ""}
    return {"title": authority.addressee_line, "name": "", "address": authority.address}


def appeal_court_for(deciding: Court | None, city: str, *, cache: dict | None = None):
    """The court an appeal against `deciding`'s ruling goes to: the one entered on that
    court, else an appeal court of its city (the office's without a court) that is not the
    deciding court itself; None when there is none."""
    if deciding is not None and deciding.appeal_court_id:
        return _looked_up(
            cache,
            ("court", deciding.appeal_court_id),
            lambda: Court.objects.filter(pk=deciding.appeal_court_id).first(),
        )
    court_city = deciding.city if deciding else city
    candidates = _looked_up(
        cache,
        ("appeal_courts", court_city),
        lambda: list(Court.objects.filter(kind=Court.Kind.APPEAL, city=court_city, is_active=True)),
    )
    return next((c for c in candidates if deciding is None or c.pk != deciding.pk), None)


def letterhead_address(address: str, city: str) -> str:
    """The office's address with its city once: added only when the address lacks it."""
    address = address.strip()
    if not city or city.casefold() in address.casefold():
        return address
    return f"{address}, {city}" if address else city


@dataclass
class CaseRecords:
    """The records of a case a letter draws on: its fine, its latest hearing, the client's
    newest permit and identity documents, and its appeal and complaint deadlines that have
    run out."""

    fine: Fine | None = None
    hearing: Hearing | None = None
    permit: ResidencePermit | None = None
    documents: list = field(default_factory=list)
    overdue: list[Deadline] = field(default_factory=list)


# The clocks a letter answers: an appeal against a ruling, a complaint against a fine.
APPEAL_TRIGGERS = (
    DeadlineRule.Trigger.DECISION_RECEIVED,
    DeadlineRule.Trigger.FINE_DECISION_RECEIVED,
)


def case_records(cases: list[Case]) -> dict[int, CaseRecords]:
    """CaseRecords for every case, in five queries however many cases there are."""
    records = {case.pk: CaseRecords() for case in cases}
    client_cases: dict[int, list[CaseRecords]] = {}
    for case in cases:
        client_cases.setdefault(case.client_id, []).append(records[case.pk])
    fines = (
        Fine.objects.active().filter(case__in=list(records)).select_related("article", "issued_by")
    )
    for fine in fines:  # newest first (Fine.Meta.ordering): the first one per case wins
        records[fine.case_id].fine = records[fine.case_id].fine or fine
    hearings = (
        Hearing.objects.active()
        .filter(case__in=list(records))
        .select_related("court")
        .order_by("-starts_at", "-pk")
    )
    for hearing in hearings:
        records[hearing.case_id].hearing = records[hearing.case_id].hearing or hearing
    permits = (
        ResidencePermit.objects.active()
        .filter(client__in=list(client_cases))
        .select_related("kind", "issued_by")
        .order_by("-valid_from", "-pk")
    )
    for permit in permits:
        for record in client_cases[permit.client_id]:
            record.permit = record.permit or permit
    documents = (
        IdentityDocument.objects.active()
        .filter(client__in=list(client_cases))
        .select_related("issuing_country", "held_by")
    )
    for document in documents:
        for record in client_cases[document.client_id]:
            record.documents.append(document)
    overdue = (
        Deadline.objects.open()
        .filter(
            case__in=list(records),
            rule__trigger__in=APPEAL_TRIGGERS,
            due_on__lt=timezone.localdate(),
        )
        .only("case_id", "hearing_id", "fine_id")
    )
    for deadline in overdue:
        records[deadline.case_id].overdue.append(deadline)
    return records


def merge_context(
    case: Case,
    *,
    kind: str,
    paragraphs: dict,
    number: str | None = None,
    addressee_title: str = "",
    today: date | None = None,
    preview: bool = False,
    records: CaseRecords | None = None,
    cache: dict | None = None,
) -> dict:
    """Every merge field for a letter in `case`, as plain values. In a preview an empty
    field is marked where it would print; in the issued letter it prints nothing.
    `records` and `cache` come from a page that builds many contexts at once."""
    client = case.client
    if records is None:
        records = case_records([case])[case.pk]
    fine, hearing, permit, documents = (
        records.fine,
        records.hearing,
        records.permit,
        records.documents,
    )
    passport = next((d for d in documents if d.kind == IdentityDocument.Kind.PASSPORT), None)
    held = next((d for d in documents if d.held_by_id), None)
    lawyer = case.responsible_lawyer
    incident = case.incident
    addressee = default_addressee(
        kind, case, fine=fine, hearing=hearing, document=held, cache=cache
    )
    if addressee_title:
        addressee["title"] = addressee_title
    with override("ru"):
        case_kind = case.get_kind_display()
        hearing_outcome = hearing.get_outcome_display() if hearing else None
    chosen = paragraphs.get("circumstances")
    if chosen is None:
        chosen = default_circumstances(kind, case, records)
    cyrillic = " ".join(p for p in (client.last_name, client.first_name, client.patronymic) if p)
    latin = " ".join(p for p in (client.last_name_latin, client.first_name_latin) if p)
    court = hearing.court if hearing and hearing.court_id else None
    return {
        "today": today or timezone.localdate(),
        "letter": _values("letter", preview, number=number or _("(number on issue)")),
        "client": _values(
            "client",
            preview,
            full_name=client.full_name,
            name=cyrillic or latin,
            name_latin=latin.upper() if cyrillic else "",
            last_name=client.last_name or client.last_name_latin,
            first_name=client.first_name or client.first_name_latin,
            patronymic=client.patronymic,
            last_name_latin=client.last_name_latin,
            first_name_latin=client.first_name_latin,
            date_of_birth=client.date_of_birth,
            nationality=_name(client.nationality),
            address=client.address,
            phone=client.phone,
            passport_number=passport.number if passport else None,
            passport_country=_name(passport.issuing_country) if passport else None,
            passport_issued_on=passport.issued_on if passport else None,
        ),
        "case": _values(
            "case",
            preview,
            reference=case.reference,
            kind=case_kind,
            opened_on=case.opened_on,
            summary=case.summary,
        ),
        "office": _values(
            "office",
            preview,
            name=case.office.name,
            letterhead_name=case.office.letterhead_name or case.office.name,
            address=case.office.address,
            city=case.office.city,
            phone=case.office.phone,
            email=case.office.email,
        ),
        "lawyer": _values(
            "lawyer",
            preview,
            full_name=lawyer.get_full_name() if lawyer else None,
            position=lawyer.position if lawyer else None,
            phone=lawyer.phone if lawyer else None,
            email=lawyer.email if lawyer else None,
            power_of_attorney=paragraphs.get("power_of_attorney"),
        ),
        "addressee": _values("addressee", preview, **addressee),
        "fine": _values(
            "fine",
            preview,
            amount=fine.amount if fine else None,
            amount_text=format_money(fine.amount, fine.currency) if fine else None,
            currency=fine.currency if fine else None,
            mci_count=fine.mci_count if fine else None,
            mci_year=fine.mci_year if fine else None,
            issued_on=fine.issued_on if fine else None,
            article=_name(fine.article) if fine else None,
            article_title=fine.article.title_ru if fine and fine.article else None,
            protocol_number=fine.protocol_number if fine else None,
            decision_received_on=fine.decision_received_on if fine else None,
            paid_on=fine.paid_on if fine else None,
            receipt_number=fine.receipt_number if fine else None,
            officer=fine.officer if fine else None,
            authority=fine.issued_by.name_ru if fine and fine.issued_by else None,
            authority_of=fine.issued_by.of_whom if fine and fine.issued_by else None,
        ),
        "hearing": _values(
            "hearing",
            preview,
            starts_at=timezone.localtime(hearing.starts_at) if hearing else None,
            court=court.name_ru if court else None,
            court_of=court.of_whom if court else None,
            court_address=court.address if court else None,
            judge=hearing.judge if hearing else None,
            outcome=hearing_outcome,
            decision_received_on=hearing.decision_received_on if hearing else None,
        ),
        "permit": _values(
            "permit",
            preview,
            kind=permit.kind.name_ru if permit else None,
            number=permit.number if permit else None,
            valid_from=permit.valid_from if permit else None,
            valid_until=permit.valid_until if permit else None,
            renewal_applied_on=permit.renewal_applied_on if permit else None,
            issued_by=permit.issued_by.name_ru if permit and permit.issued_by else None,
        ),
        "document": _values(
            "document",
            preview,
            kind=held.get_kind_display() if held else None,
            number=held.number if held else None,
            held_by=held.held_by.name_ru if held else None,
            held_by_of=held.held_by.of_whom if held else None,
            held_since=held.held_since if held else None,
        ),
        "incident": _values(
            "incident",
            preview,
            title=incident.title if incident else None,
            started_on=incident.started_on if incident else None,
            place=incident.place if incident else None,
            city=incident.city if incident else None,
            authority=incident.authority.name_ru if incident and incident.authority else None,
        ),
        "paragraphs": {key: paragraphs.get(key, "") for key in ("facts", "grounds", "request")},
        "circumstances": {key: key in chosen for key, _label in CIRCUMSTANCES.get(kind, [])},
    }


def missing_fields(body: str, context: dict) -> list[str]:
    """Merge fields the template prints without a default and that have no value here."""
    missing = []
    for path, has_default in referenced_fields(body):
        if has_default or path.startswith(("paragraphs.", "circumstances.")):
            continue
        value = context
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, Missing) or value is None:
            missing.append(path)
    return missing


# What a letter lacks, in the user's words, for each merge field and for a record the case
# does not have at all: the only way a missing field is shown to a person (never its path).
MISSING_LABELS = {
    "no_case": gettext_lazy("no open case from this incident"),
    "template": gettext_lazy(
        "the letter template cannot be used: an administrator must correct it"
    ),
    "fine": gettext_lazy("no fine recorded in the case"),
    "hearing": gettext_lazy("no court hearing recorded in the case"),
    "permit": gettext_lazy("no residence permit recorded for the client"),
    "document": gettext_lazy("no document recorded as held by an authority"),
    "today": gettext_lazy("no date of the letter"),
    "letter.number": gettext_lazy("no registry number"),
    "client.full_name": gettext_lazy("the client's name is missing"),
    "client.name": gettext_lazy("the client's name is missing"),
    "client.name_latin": gettext_lazy("the name in Latin letters is missing"),
    "client.last_name": gettext_lazy("the client's last name is missing"),
    "client.first_name": gettext_lazy("the client's first name is missing"),
    "client.patronymic": gettext_lazy("the client's patronymic is missing"),
    "client.last_name_latin": gettext_lazy("the last name in Latin letters is missing"),
    "client.first_name_latin": gettext_lazy("the first name in Latin letters is missing"),
    "client.date_of_birth": gettext_lazy("no date of birth"),
    "client.nationality": gettext_lazy("no nationality"),
    "client.address": gettext_lazy("the client's address is missing"),
    "client.phone": gettext_lazy("the client's phone is missing"),
    "client.passport_number": gettext_lazy("no passport number"),
    "client.passport_country": gettext_lazy("the country that issued the passport is missing"),
    "client.passport_issued_on": gettext_lazy("no passport issue date"),
    "case.reference": gettext_lazy("no case number"),
    "case.kind": gettext_lazy("the kind of case is missing"),
    "case.opened_on": gettext_lazy("no date the case was opened"),
    "case.summary": gettext_lazy("no case summary"),
    "office.name": gettext_lazy("the office name is missing"),
    "office.letterhead_name": gettext_lazy("the organisation's name for the letterhead is missing"),
    "office.address": gettext_lazy("the office address is missing"),
    "office.city": gettext_lazy("the office city is missing"),
    "office.phone": gettext_lazy("the office phone is missing"),
    "office.email": gettext_lazy("the office email is missing"),
    "lawyer.full_name": gettext_lazy("no responsible lawyer"),
    "lawyer.position": gettext_lazy("the lawyer's position is missing"),
    "lawyer.phone": gettext_lazy("the lawyer's phone is missing"),
    "lawyer.email": gettext_lazy("the lawyer's email is missing"),
    "lawyer.power_of_attorney": gettext_lazy("no power of attorney details"),
    "addressee.title": gettext_lazy("no addressee"),
    "addressee.name": gettext_lazy("the addressee's name is missing"),
    "addressee.address": gettext_lazy("the addressee's address is missing"),
    "addressee.via": gettext_lazy("no court through which the appeal is handed in"),
    "fine.amount": gettext_lazy("no fine amount"),
    "fine.amount_text": gettext_lazy("no fine amount"),
    "fine.currency": gettext_lazy("the fine's currency is missing"),
    "fine.mci_count": gettext_lazy("the fine in MCI is missing"),
    "fine.mci_year": gettext_lazy("the year of the MCI is missing"),
    "fine.issued_on": gettext_lazy("no date of the fine decision"),
    "fine.article": gettext_lazy("the article of the Code is missing"),
    "fine.article_title": gettext_lazy("the title of the article is missing"),
    "fine.protocol_number": gettext_lazy("no protocol number"),
    "fine.decision_received_on": gettext_lazy("no date the fine decision was received"),
    "fine.paid_on": gettext_lazy("no payment date"),
    "fine.receipt_number": gettext_lazy("no receipt number"),
    "fine.officer": gettext_lazy("the officer who imposed the fine is missing"),
    "fine.authority": gettext_lazy("the authority that imposed the fine is missing"),
    "fine.authority_of": gettext_lazy("the authority that imposed the fine is missing"),
    "hearing.starts_at": gettext_lazy("no hearing date and time"),
    "hearing.court": gettext_lazy("no court named"),
    "hearing.court_of": gettext_lazy("no court named"),
    "hearing.court_address": gettext_lazy("the court's address is missing"),
    "hearing.judge": gettext_lazy("no judge named"),
    "hearing.outcome": gettext_lazy("no court decision"),
    "hearing.decision_received_on": gettext_lazy("no date the decision was received"),
    "permit.kind": gettext_lazy("the kind of permit is missing"),
    "permit.number": gettext_lazy("no permit number"),
    "permit.valid_from": gettext_lazy("no date the permit is valid from"),
    "permit.valid_until": gettext_lazy("no permit expiry date"),
    "permit.renewal_applied_on": gettext_lazy("no date the renewal was applied for"),
    "permit.issued_by": gettext_lazy("the authority that issued the permit is missing"),
    "document.kind": gettext_lazy("the kind of held document is missing"),
    "document.number": gettext_lazy("the held document's number is missing"),
    "document.held_by": gettext_lazy("the authority holding the document is missing"),
    "document.held_by_of": gettext_lazy("the authority holding the document is missing"),
    "document.held_since": gettext_lazy("no date since the document is held"),
    "incident.title": gettext_lazy("the case is not linked to an incident"),
    "incident.started_on": gettext_lazy("no date of the incident"),
    "incident.place": gettext_lazy("the place of the incident is missing"),
    "incident.city": gettext_lazy("the city of the incident is missing"),
    "incident.authority": gettext_lazy("the authority that carried out the operation is missing"),
}
UNKNOWN_FIELD = gettext_lazy("a field the template uses that Casework does not know")

# A record the case lacks altogether: this field of it always has a value when it exists.
RECORD_PRESENT_BY = {
    "fine": "issued_on",
    "hearing": "starts_at",
    "permit": "kind",
    "document": "kind",
}


# Merge fields that are another form of one value: what is missing is that value.
SAME_VALUE = {
    "client.name": "client.full_name",
    "fine.amount_text": "fine.amount",
    "fine.authority_of": "fine.authority",
    "hearing.court_of": "hearing.court",
    "document.held_by_of": "document.held_by",
}


def missing_reasons(paths: list[str], context: dict) -> list[str]:
    """Codes for what a letter lacks: a record the case has not got at all, once ("hearing"),
    else each empty field; MISSING_LABELS says them in words."""
    codes: list[str] = []
    for path in paths:
        path = SAME_VALUE.get(path, path)
        group = path.split(".", 1)[0]
        marker = RECORD_PRESENT_BY.get(group)
        if marker and isinstance(context.get(group, {}).get(marker), Missing):
            path = group
        if path not in codes:
            codes.append(path)
    return codes


def describe_missing(codes: list[str]) -> list[str]:
    """Missing-field codes in the user's language."""
    return [str(MISSING_LABELS.get(code, UNKNOWN_FIELD)) for code in codes]


@dataclass(frozen=True)
class PrintableLetter:
    """A letter's full HTML and the images it names (documents.pdf.image_url), ready for
    documents.pdf.render_pdf."""

    html: str
    images: list[bytes]


def render_document(
    *, body_html: str, case: Case, number: str, language: str, title: str, today: date | None = None
) -> PrintableLetter:
    """The full printable HTML: the trusted frame (letterhead with the office's logo, number,
    date, pages) around the body rendered in the sandbox."""
    office = case.office
    letterhead = Letterhead.objects.filter(office=office).exclude(logo="").first()
    logo = letterhead.logo_bytes() if letterhead else None
    html = render_to_string(
        "documents/letters/base.html",
        {
            "lang": language,
            "body": body_html,
            "number": number,
            "title": title,
            "date": today or timezone.localdate(),
            "logo_url": image_url(logo) if logo else "",
            "office": {
                "name": office.name,
                "letterhead_name": office.letterhead_name or office.name,
                "address": letterhead_address(office.address, office.city),
                "phone": office.phone,
                "email": office.email,
            },
        },
    )
    return PrintableLetter(html=html, images=[logo] if logo else [])
