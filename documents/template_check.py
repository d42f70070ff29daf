"""The check a letter template passes before an administrator can save it: it compiles in
the sandbox and renders, within the sandbox's bounds, for a realistic case with every record
a letter draws on, through the same merge_context real letters use.

The case is built in memory and never saved. A check that wrote rows, even in a transaction
rolled back, would take write locks on the embedded SQLite database, advance sequences and
registry counters, and run the history and deadline machinery that saving a case starts.
Instead each related record is attached to its parent as Django caches it after a join, the
reference rows (courts, authorities) carry a stand-in primary key so merge_context's `*_id`
checks see them, and the lookups merge_context makes by city arrive prefilled in its cache:
the check reads nothing from the database and writes nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from casework.models import Case, Court, Fine, Hearing, Incident, LegalArticle, Office, User
from clients.models import Authority, Client, Country, IdentityDocument, PermitKind, ResidencePermit
from documents.circumstances import CIRCUMSTANCES
from documents.letters import ADDRESSEE_AUTHORITY, CaseRecords, merge_context
from documents.sandbox import render_body

CITY = "Алматы"


def _stand_in(instance, pk: int):
    """A reference row as if read from the database; it is never saved."""
    instance.pk = pk
    return instance


def sample_case(today: date) -> tuple[Case, CaseRecords, dict]:
    """A detained client with both name scripts, a passport held by the police, a labour
    permit under renewal, a fine, an expulsion ruling under appeal and a lawyer; and the
    cache of merge_context's lookups by city."""
    kazakhstan = _stand_in(Country(code="KZ", name_ru="Казахстан", name_en="Kazakhstan"), -1)
    uzbekistan = _stand_in(Country(code="UZ", name_ru="Узбекистан", name_en="Uzbekistan"), -2)
    police, service, prosecutor = (
        _stand_in(
            Authority(
                kind=kind,
                country=kazakhstan,
                city=CITY,
                name_ru=name,
                head_title=head_title,
                name_genitive=genitive,
                address=address,
            ),
            pk,
        )
        for pk, kind, name, head_title, genitive, address in (
            (
                -3,
                Authority.Kind.MIGRATION_POLICE,
                "Управление миграционной полиции ДП г. Алматы",
                "Начальнику Управления миграционной полиции ДП г. Алматы",
                "Управления миграционной полиции ДП г. Алматы",
                "г. Алматы, ул. Масанчи, 57а",
            ),
            (
                -4,
                Authority.Kind.MIGRATION_SERVICE,
                "Департамент миграционной службы г. Алматы",
                "Начальнику Департамента миграционной службы г. Алматы",
                "Департамента миграционной службы г. Алматы",
                "г. Алматы, пр. Абая, 21",
            ),
            (
                -5,
                Authority.Kind.PROSECUTOR,
                "Прокуратура г. Алматы",
                "Прокурору г. Алматы",
                "Прокуратуры г. Алматы",
                "г. Алматы, ул. Толе би, 101",
            ),
        )
    )
    appeal_court = _stand_in(
        Court(
            kind=Court.Kind.APPEAL,
            country=kazakhstan,
            city=CITY,
            name_ru="Алматинский городской суд",
            address="г. Алматы, ул. Байзакова, 273б",
        ),
        -6,
    )
    court = _stand_in(
        Court(
            kind=Court.Kind.ADMINISTRATIVE,
            country=kazakhstan,
            city=CITY,
            name_ru="Специализированный межрайонный административный суд г. Алматы",
            name_genitive="Специализированного межрайонного административного суда г. Алматы",
            address="г. Алматы, ул. Жандосова, 2",
            appeal_court=appeal_court,
        ),
        -7,
    )
    office = Office(
        name="Алматы",
        letterhead_name="ОФ «Правовая помощь мигрантам»",
        country=kazakhstan,
        city=CITY,
        address="ул. Абая, 10, офис 5",
        phone="+7 727 000 00 00",
        email="office@example.org",
    )
    lawyer = User(
        username="sample-lawyer",
        first_name="Айгерім",
        last_name="Сәрсенбаева",
        position="Юрист",
        phone="+7 701 000 00 00",
        email="lawyer@example.org",
        office=office,
    )
    client = Client(
        last_name="Рахимов",
        first_name="Азиз",
        patronymic="Бахтиёрович",
        last_name_latin="Rakhimov",
        first_name_latin="Aziz",
        date_of_birth=date(1990, 3, 14),
        nationality=uzbekistan,
        languages="узбекский",
        needs_interpreter=True,
        is_minor_in_family=True,
        has_health_needs=True,
        phone="+7 705 000 00 00",
        address="г. Алматы, мкр. Айнабулак-3, д. 12, кв. 4",
        office=office,
    )
    incident = _stand_in(
        Incident(
            title="Проверка на рынке «Барахолка»",
            office=office,
            started_on=today - timedelta(days=20),
            place="Рынок «Барахолка»",
            city=CITY,
            authority=police,
        ),
        -8,
    )
    case = Case(
        reference="ALM-2026-00017",
        client=client,
        office=office,
        kind=Case.Kind.EXPULSION,
        opened_on=today - timedelta(days=19),
        summary="Задержан в ходе проверки, постановление о выдворении.",
        responsible_lawyer=lawyer,
        incident=incident,
    )
    passport = IdentityDocument(
        client=client,
        kind=IdentityDocument.Kind.PASSPORT,
        number="FA1234567",
        issuing_country=uzbekistan,
        issued_on=date(2019, 5, 6),
        held_by=police,
        held_since=today - timedelta(days=20),
    )
    permit = ResidencePermit(
        client=client,
        kind=PermitKind(
            name_ru="Разрешение трудовому иммигранту", country=kazakhstan, allows_work=True
        ),
        number="KZ-LAB-4321",
        issued_by=service,
        valid_from=today - timedelta(days=300),
        valid_until=today + timedelta(days=10),
        status=ResidencePermit.Status.RENEWAL_PENDING,
        renewal_applied_on=today - timedelta(days=30),
    )
    fine = Fine(
        case=case,
        article=LegalArticle(
            country=kazakhstan,
            code="КоАП РК",
            article="517",
            part="1",
            title_ru="Нарушение иностранцем законодательства в области миграции",
        ),
        mci_count=Decimal("20"),
        mci_year=today.year,
        amount=Decimal("86500"),
        currency="KZT",
        issued_on=today - timedelta(days=19),
        issued_by=police,
        officer="капитан полиции Серіков А. Б.",
        protocol_number="ПР-2026-0917",
        decision_received_on=today - timedelta(days=18),
        status=Fine.Status.PAID_DISPUTED,
        paid_on=today - timedelta(days=15),
        receipt_number="KASPI-555123",
    )
    hearing = Hearing(
        case=case,
        kind=Hearing.Kind.EXPULSION,
        starts_at=timezone.make_aware(datetime.combine(today - timedelta(days=18), time(10, 30))),
        court=court,
        judge="Абенова Г. К.",
        outcome=Hearing.Outcome.EXPULSION_ORDERED,
        decision_received_on=today - timedelta(days=5),
    )
    records = CaseRecords(fine=fine, hearing=hearing, permit=permit, documents=[passport])
    by_kind = {
        Authority.Kind.MIGRATION_POLICE: police,
        Authority.Kind.MIGRATION_SERVICE: service,
        Authority.Kind.PROSECUTOR: prosecutor,
    }
    cache = {("court", appeal_court.pk): appeal_court, ("appeal_courts", CITY): [appeal_court]}
    for authority_kind in set(ADDRESSEE_AUTHORITY.values()):
        cache[("authority", authority_kind, CITY)] = by_kind[authority_kind]
    return case, records, cache


def sample_contexts(kind: str) -> list[dict]:
    """The contexts a template is tried with: the sample case with every circumstance of
    its kind ticked and every paragraph written, the same case with none, and a letter
    with no field at all, so each side of the template's {% if %}s is rendered."""
    today = timezone.localdate()
    case, records, cache = sample_case(today)
    everything = {
        "facts": "Заявитель проживает в Алматы с 2019 года.\n\nРаботает по трудовому договору.",
        "grounds": "Суд не учёл обстоятельства, характеризующие личность заявителя.",
        "request": "Истребовать материалы дела.",
        "power_of_attorney": "№ 17 от 02.03.2026",
        "circumstances": [code for code, _label in CIRCUMSTANCES.get(kind, [])],
    }
    return [
        merge_context(
            case,
            kind=kind,
            paragraphs=paragraphs,
            number="ALM-L-000123",
            today=today,
            records=records,
            cache=cache,
        )
        for paragraphs in (everything, {"circumstances": []})
    ] + [{}]


def check_template(body: str, *, kind: str) -> None:
    """Raise documents.sandbox.LetterTemplateError, with the reason for the template's
    editor, unless the body renders within bounds for every sample context."""
    for context in sample_contexts(kind):
        render_body(body, context)
