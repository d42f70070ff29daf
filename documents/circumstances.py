"""What varies from case to case in a letter. For each kind of letter whose facts, grounds or
requests differ between cases, the lawyer ticks the circumstances that apply on the letter
form and the template prints the paragraphs of the ticked ones; anything else they write in
the facts, grounds and request. The case's own records tick the likely ones first, and a batch
letter, which nobody ticks, goes out with those."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from casework.models import Case, Fine
from clients.models import ResidencePermit
from documents.models import LetterTemplate

if TYPE_CHECKING:
    from documents.letters import CaseRecords

Kind = LetterTemplate.Kind

LATE = ("late", _("the time limit was missed: ask for it to be restored"))
NO_INTERPRETER = (
    "no_interpreter",
    _("the client does not speak the language of the proceedings; no interpreter"),
)
LAWFUL_STAY = ("lawful_stay", _("the client stays in Kazakhstan lawfully (a permit)"))
FAMILY = ("family", _("the client's family, with children, lives in Kazakhstan"))

# The circumstances each kind of letter offers, in the order the form lists them; the
# template of that kind prints {% if circumstances.<code> %} paragraphs.
CIRCUMSTANCES: dict[str, list[tuple[str, str]]] = {
    Kind.PROSECUTOR_COMPLAINT: [
        ("detention", _("detention")),
        ("extortion", _("extortion (a demand for money)")),
        ("passport_taken", _("passport taken or withheld")),
        ("other", _("other (described in the facts)")),
    ],
    Kind.EXPULSION_APPEAL: [
        LATE,
        ("person_not_examined", _("the court did not examine the client's personal situation")),
        ("mass_hearing", _("heard in haste together with many other detainees")),
        NO_INTERPRETER,
        LAWFUL_STAY,
        FAMILY,
        ("health", _("the client's health or disability")),
    ],
    Kind.FINE_COMPLAINT: [
        LATE,
        NO_INTERPRETER,
        LAWFUL_STAY,
        ("paid", _("the fine has already been paid: ask for the money back")),
    ],
    Kind.FINE_PAID_CONFIRMATION: [
        ("unpaid_in_records", _("the authority's records still show the fine unpaid")),
        ("blocks_permit", _("this holds up the client's permit")),
        ("demanded_again", _("payment is demanded again at document checks")),
    ],
    Kind.PERMIT_EXTENSION: [
        ("works", _("the client works")),
        ("studies", _("the client studies")),
        FAMILY,
        ("no_unpaid_fines", _("the client has no unpaid fines")),
    ],
    Kind.PASSPORT_RETURN: [
        ("no_seizure_record", _("no record of the seizure was handed to the client")),
        ("needs_to_leave", _("the client needs the passport to leave Kazakhstan")),
    ],
}

# What the form asks above the boxes, by kind of letter.
QUESTIONS: dict[str, str] = {
    Kind.PROSECUTOR_COMPLAINT: _("what happened"),
    Kind.EXPULSION_APPEAL: _("what the appeal relies on"),
    Kind.FINE_COMPLAINT: _("what the complaint relies on"),
    Kind.FINE_PAID_CONFIRMATION: _("what followed the payment"),
    Kind.PERMIT_EXTENSION: _("grounds for the client's stay"),
    Kind.PASSPORT_RETURN: _("about the passport"),
}

UNPAID = (Fine.Status.ISSUED, Fine.Status.CONTESTED)


def default_circumstances(kind: str, case: Case, records: CaseRecords) -> list[str]:
    """What the case's records suggest for a letter of `kind`. A fact no record holds (an
    extortion, a missing seizure record, a study place) is never assumed: only the lawyer
    ticks it. Nor is a need to leave the country, even after an expulsion ruling: the client
    may be appealing it."""
    client = case.client
    fine, hearing, permit = records.fine, records.hearing, records.permit
    suggested = {
        # A raid, a detention or an expulsion case means a detention.
        "detention": bool(case.incident_id)
        or case.kind in (Case.Kind.DETENTION, Case.Kind.EXPULSION),
        "passport_taken": any(d.held_by_id for d in records.documents),
        # The appeal or complaint clock of this very ruling or fine has run out.
        "late": (
            kind == Kind.EXPULSION_APPEAL
            and hearing is not None
            and any(d.hearing_id == hearing.pk for d in records.overdue)
        )
        or (
            kind == Kind.FINE_COMPLAINT
            and fine is not None
            and any(d.fine_id == fine.pk for d in records.overdue)
        ),
        # What an expulsion appeal rests on: the ruling weighed nothing but the breach.
        "person_not_examined": True,
        "mass_hearing": bool(case.incident_id),
        "no_interpreter": client.needs_interpreter,
        "lawful_stay": permit is not None,
        "family": client.is_minor_in_family,
        "health": client.has_health_needs,
        "paid": bool(fine and fine.paid_on),
        "unpaid_in_records": bool(fine and fine.status == Fine.Status.PAID_DISPUTED),
        "blocks_permit": bool(
            permit
            and (
                permit.renewal_applied_on or permit.status == ResidencePermit.Status.RENEWAL_PENDING
            )
        ),
        "works": bool(permit and permit.kind.allows_work),
        "no_unpaid_fines": not (fine and fine.status in UNPAID),
    }
    return [code for code, _label in CIRCUMSTANCES.get(kind, []) if suggested.get(code)]
