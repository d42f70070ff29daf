"""Build a believable demo office. Every name here is invented.

Idempotent: every object is found by a stable key before it is created, and the records
that hang off a client or case are made only when that client or case is new.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from casework.models import (
    Case,
    CaseNote,
    Court,
    Deadline,
    Fine,
    Hearing,
    Incident,
    IncidentClient,
    IncidentFigure,
    LegalArticle,
    Office,
    User,
)
from casework.reminders import plan_deadline_reminders, plan_hearing_reminders
from casework.services import (
    SittingEntry,
    reconcile_all_client_deadlines,
    record_court_sitting,
    sync_fine_deadlines,
    sync_hearing_deadlines,
)
from clients.models import (
    Authority,
    Client,
    Country,
    IdentityDocument,
    PermitKind,
    Registration,
    ResidencePermit,
)

# (country code, [(last Cyrillic, last Latin, female?)], [(first Cyrillic, first Latin, female?)])
PEOPLE = {
    "UZ": (
        [
            ("Рахимов", "Rahimov"),
            ("Турсунов", "Tursunov"),
            ("Абдуллаев", "Abdullayev"),
            ("Мирзаев", "Mirzayev"),
            ("Холматов", "Xolmatov"),
            ("Юсупов", "Yusupov"),
        ],
        [
            ("Шерзод", "Sherzod", False),
            ("Дилноза", "Dilnoza", True),
            ("Ботир", "Botir", False),
            ("Гулнора", "Gulnora", True),
            ("Жасур", "Jasur", False),
            ("Нодира", "Nodira", True),
        ],
    ),
    "TJ": (
        [
            ("Назаров", "Nazarov"),
            ("Шарипов", "Sharipov"),
            ("Саидзода", "Saidzoda"),
            ("Давлатов", "Davlatov"),
            ("Курбонов", "Kurbonov"),
        ],
        [
            ("Фаррух", "Farrukh", False),
            ("Зарина", "Zarina", True),
            ("Далер", "Daler", False),
            ("Мехрона", "Mehrona", True),
            ("Сухроб", "Sukhrob", False),
            ("Нигина", "Nigina", True),
        ],
    ),
    "KG": (
        [
            ("Абдыкадыров", "Abdykadyrov"),
            ("Эсенгулов", "Esengulov"),
            ("Мамытов", "Mamytov"),
            ("Сыдыков", "Sydykov"),
            ("Асанбеков", "Asanbekov"),
        ],
        [
            ("Нурлан", "Nurlan", False),
            ("Айгуль", "Aigul", True),
            ("Бакыт", "Bakyt", False),
            ("Жылдыз", "Zhyldyz", True),
            ("Эрмек", "Ermek", False),
            ("Чолпон", "Cholpon", True),
        ],
    ),
    "ML": (
        [("Траоре", "Traoré"), ("Кулибали", "Coulibaly"), ("Диарра", "Diarra")],
        [("Бакари", "Bakary", False), ("Фатумата", "Fatoumata", True), ("Сейду", "Seydou", False)],
    ),
    "CM": (
        [("Мбарга", "Mbarga"), ("Нгуема", "Nguema")],
        [("Жан-Пьер", "Jean-Pierre", False), ("Бландин", "Blandine", True)],
    ),
    "AF": (
        [("Хайдари", "Haidari"), ("Ахмади", "Ahmadi")],
        [("Фарид", "Farid", False), ("Захра", "Zahra", True)],
    ),
}
LANGUAGES = {
    "UZ": "узбекский, русский",
    "TJ": "таджикский",
    "KG": "кыргызский, русский",
    "ML": "французский, русский",
    "CM": "французский, английский",
    "AF": "дари",
}
# How many demo clients per nationality (64 in all).
QUOTA = {"UZ": 20, "TJ": 16, "KG": 14, "ML": 6, "CM": 4, "AF": 4}


def female_form(last: str, latin: str) -> tuple[str, str]:
    """Russian-style surnames take -а for women; others do not change."""
    if last.endswith(("ов", "ев", "ин")):
        return last + "а", latin + "a"
    return last, latin


class Command(BaseCommand):
    help = "Create demo offices, users, clients, cases and an incident (safe to run again)."

    def handle(self, *args, **options) -> None:
        self.today = timezone.localdate()
        self.rng = random.Random(2026)
        with transaction.atomic():
            self.offices = self.make_offices()
            self.users = self.make_users()
            created = self.make_clients_and_cases()
            self.make_incident()
            self.plan_reminders()
        from documents.defaults import install_default_templates, install_demo_letterhead

        installed = install_default_templates()
        for office in self.offices.values():
            install_demo_letterhead(office)
        self.issue_letters()
        self.stdout.write(
            f"Demo data ready: {Client.objects.count()} clients, {Case.objects.count()} cases "
            f"({created} new clients this run, {installed} letter templates installed)."
        )
        self.print_logins()

    def plan_reminders(self) -> None:
        """The demo's permits, passports, cases, deadlines and hearings were made directly,
        not through the services that announce them and plan their reminders: reconcile the
        permit and passport deadlines and plan the reminders here (idempotent), so the first
        reminder pass fills the notification lists. Permit reminders are planned by the pass
        itself."""
        reconcile_all_client_deadlines()
        for deadline in Deadline.objects.open().select_related(
            "rule", "case__office__country", "case__responsible_lawyer", "case__paralegal"
        ):
            plan_deadline_reminders(deadline)
        upcoming = Hearing.objects.filter(
            outcome=Hearing.Outcome.PENDING, starts_at__gte=timezone.now()
        ).select_related("case__responsible_lawyer", "case__paralegal")
        for hearing in upcoming:
            plan_hearing_reminders(hearing)

    # Offices and people -------------------------------------------------------------

    def make_offices(self) -> dict[str, Office]:
        kz = Country.objects.get(code="KZ")
        almaty, _ = Office.objects.get_or_create(
            registry_prefix="ALA",
            defaults={
                "name": "Алматы: бюро правовой помощи мигрантам",
                "letterhead_name": "Общественный фонд «Правовая помощь мигрантам» (демо)",
                "country": kz,
                "city": "Алматы",
                "address": "050000, г. Алматы, ул. Демонстрационная, 12, офис 4",
                "phone": "+7 727 000 00 00",
                "email": "almaty@casework.example",
            },
        )
        astana, _ = Office.objects.get_or_create(
            registry_prefix="AST",
            defaults={
                "name": "Астана: приёмная",
                "letterhead_name": "Общественный фонд «Правовая помощь мигрантам» (демо)",
                "country": kz,
                "city": "Астана",
                "address": "010000, г. Астана, пр. Примерный, 7",
                "phone": "+7 717 000 00 00",
                "email": "astana@casework.example",
            },
        )
        return {"almaty": almaty, "astana": astana}

    def make_users(self) -> dict[str, User]:
        specs = [
            ("lawyer", "Сарсенова", "Айжан", "lawyer", "almaty", "Юрист"),
            ("lawyer2", "Ким", "Виктор", "lawyer", "astana", "Юрист"),
            ("lawyer3", "Жумабаев", "Ерлан", "lawyer", "almaty", "Юрист"),
            ("lawyer4", "Исмаилова", "Гульнара", "lawyer", "astana", "Юрист"),
            ("paralegal", "Омарова", "Дана", "paralegal", "almaty", "Параюрист"),
            ("coordinator", "Петренко", "Ольга", "coordinator", "almaty", "Координатор"),
            ("admin", "Администратор", "", "administrator", "almaty", "Администратор"),
        ]
        users = {}
        for username, last, first, group, office, position in specs:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "last_name": last,
                    "first_name": first,
                    "position": position,
                    "office": self.offices[office],
                    "email": f"{username}@casework.example",
                    "is_staff": username == "admin",
                    "is_superuser": username == "admin",
                },
            )
            if created:
                user.set_password(settings.DEMO_PASSWORD)
                user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=group))
            users[username] = user
        return users

    def print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password: {settings.DEMO_PASSWORD}):")
        for username in ("lawyer", "lawyer2", "lawyer3", "paralegal", "coordinator", "admin"):
            user = self.users[username]
            self.stdout.write(f"  {username:<12} {user.position}, {user.office}")
        self.stdout.write(
            "coordinator and admin must add a second factor (authenticator app or passkey) "
            "at their first sign-in."
        )
        self.stdout.write("Set DEMO_PASSWORD before the first run to choose another password.")

    # Clients ------------------------------------------------------------------------

    def people(self):
        for code, quota in QUOTA.items():
            lasts, firsts = PEOPLE[code]
            for i in range(quota):
                last, last_latin = lasts[i % len(lasts)]
                first, first_latin, female = firsts[(i // len(lasts) + i) % len(firsts)]
                if female:
                    last, last_latin = female_form(last, last_latin)
                yield code, last, last_latin, first, first_latin, female

    def make_clients_and_cases(self) -> int:
        countries = {c.code: c for c in Country.objects.all()}
        created_count = 0
        for n, (code, last, last_latin, first, first_latin, female) in enumerate(self.people()):
            office = self.offices["almaty" if n % 5 else "astana"]
            born = date(1970 + (n * 7) % 35, 1 + n % 12, 1 + (n * 3) % 28)
            client, created = Client.objects.get_or_create(
                office=office,
                last_name=last,
                first_name=first,
                date_of_birth=born,
                defaults={
                    "last_name_latin": last_latin,
                    "first_name_latin": first_latin,
                    "sex": Client.Sex.FEMALE if female else Client.Sex.MALE,
                    "nationality": countries[code],
                    "languages": LANGUAGES[code],
                    "needs_interpreter": code in ("AF", "TJ") and n % 2 == 0,
                    "phone": f"+7 700 {100 + n:03d} {10 + n % 90:02d} {20 + n % 70:02d}",
                    "community": "Диаспора (демо)" if n % 4 == 0 else "",
                    "consent_given_on": self.today - timedelta(days=30 + n),
                    "is_minor_in_family": n % 6 == 0,
                    "created_by": self.users["paralegal"],
                },
            )
            if created:
                created_count += 1
                self.add_client_records(client, n, code, countries)
                if n % 3 != 2:
                    self.add_case(client, n)
        return created_count

    def add_client_records(self, client: Client, n: int, code: str, countries) -> None:
        kz = countries["KZ"]
        migration = Authority.objects.filter(kind=Authority.Kind.MIGRATION_SERVICE).first()
        passport = IdentityDocument.objects.create(
            client=client,
            kind=IdentityDocument.Kind.PASSPORT,
            number=f"{code}{7000000 + n * 137:07d}",
            issuing_country=countries[code],
            issued_on=self.today - timedelta(days=900 + n * 11),
            expires_on=self.today + timedelta(days=900 - n * 20),
        )
        long_term = code in ("ML", "CM")
        if long_term:
            kind = PermitKind.objects.get(country=kz, code="permanent-residence")
        elif code == "AF":
            kind = PermitKind.objects.get(country=kz, code="refugee")
        elif code == "KG":
            kind = PermitKind.objects.get(country=kz, code="eaeu-worker")
        else:
            kind = PermitKind.objects.get(country=kz, code="labour-immigrant")
        scenario = n % 8
        permit = ResidencePermit(
            client=client,
            kind=kind,
            number=f"KZ-{kind.code[:3].upper()}-{100000 + n}",
            issued_by=migration,
        )
        if scenario in (0, 1):  # expires soon
            permit.valid_from = self.today - timedelta(days=300)
            permit.valid_until = self.today + timedelta(days=5 + n % 50)
        elif scenario == 2:  # long expired
            permit.valid_from = self.today - timedelta(days=800)
            permit.valid_until = self.today - timedelta(days=400)
            permit.status = ResidencePermit.Status.EXPIRED
        elif scenario == 3:  # renewal stalled for months, passport held by the authority
            permit.valid_from = self.today - timedelta(days=500)
            permit.valid_until = self.today - timedelta(days=90)
            permit.status = ResidencePermit.Status.RENEWAL_PENDING
            permit.renewal_applied_on = self.today - timedelta(days=120)
            passport.held_by = migration
            passport.held_since = self.today - timedelta(days=118)
            passport.save(update_fields=["held_by", "held_since"])
        else:
            permit.valid_from = self.today - timedelta(days=100)
            permit.valid_until = None if long_term else self.today + timedelta(days=200 + n)
        permit.save()
        if scenario != 5:
            Registration.objects.create(
                client=client,
                country=kz,
                city=client.office.city,
                address=f"ул. Демонстрационная, {10 + n}, кв. {n + 1}",
                registered_from=self.today - timedelta(days=200 + n),
                host_name="Хозяин жилья (демо)",
                host_notified_on=self.today - timedelta(days=198 + n),
            )

    # Letters ------------------------------------------------------------------------

    def issue_letters(self) -> None:
        """Letters as a working office has them: two sent (their answer deadlines running),
        one issued and waiting to go out, one corrected after issue. Once only: a second
        run finds the demo's letters and issues none."""
        from documents.circumstances import default_circumstances
        from documents.letters import case_records
        from documents.models import Letter, LetterDispatch, LetterTemplate
        from documents.services import issue_letter, record_dispatch

        demo_cases = Case.objects.filter(reference__contains="-DEMO-", incident__isnull=True)
        if Letter.objects.filter(case__in=demo_cases).exists():
            return
        lawyer = self.users["lawyer"]
        plan = [
            (Case.Kind.COMPLAINT, "prosecutor_complaint", LetterDispatch.Method.POST, 12),
            (Case.Kind.FINE, "fine_complaint", LetterDispatch.Method.HAND, 4),
            (Case.Kind.PERMIT, "permit_extension", None, None),
            (Case.Kind.EXPULSION, "expulsion_appeal", None, None),
        ]
        for kind, template_kind, method, days_ago in plan:
            case = (
                demo_cases.filter(kind=kind, status=Case.Status.OPEN, office__registry_prefix="ALA")
                .select_related("client", "office")
                .order_by("pk")
                .first()
            )
            template = LetterTemplate.objects.filter(
                kind=template_kind, language="ru", is_active=True
            ).first()
            if case is None or template is None:
                continue
            records = case_records([case])[case.pk]
            circumstances = default_circumstances(template_kind, case, records)
            if kind == Case.Kind.COMPLAINT:
                circumstances.append("extortion")  # what the demo complaint cases are about
            paragraphs = {
                "facts": "",
                "grounds": "",
                "request": "",
                "power_of_attorney": "№ 14 от 01.11.2026",
                "circumstances": circumstances,
            }
            letter = issue_letter(
                case=case, template=template, issued_by=lawyer, paragraphs=paragraphs
            )
            if method:
                record_dispatch(
                    letter=letter,
                    sent_on=self.today - timedelta(days=days_ago),
                    method=method,
                    incoming_number=f"вх. {300 + letter.pk}" if method == "hand" else "",
                    recorded_by=lawyer,
                )
            if kind == Case.Kind.EXPULSION:
                # Issued, then corrected: the power of attorney's date was wrong.
                issue_letter(
                    case=case,
                    template=template,
                    issued_by=lawyer,
                    paragraphs=paragraphs | {"power_of_attorney": "№ 14 от 02.11.2026"},
                    supersedes=letter,
                )

    # Cases --------------------------------------------------------------------------

    def add_case(self, client: Client, n: int, incident: Incident | None = None) -> Case:
        office = client.office
        # Two lawyers per office share its cases, so reassigning has someone to go to; the
        # raid's detainees stay with the one lawyer who went to the court sitting.
        pair = ("lawyer", "lawyer3") if office.registry_prefix == "ALA" else ("lawyer2", "lawyer4")
        lawyer = self.users[pair[0 if incident else (n // 4) % 2]]
        kinds = [Case.Kind.EXPULSION, Case.Kind.FINE, Case.Kind.PERMIT, Case.Kind.COMPLAINT]
        kind = Case.Kind.EXPULSION if incident else kinds[n % len(kinds)]
        closed = n % 9 == 4 and incident is None
        series = "R" if incident else kind[:3].upper()
        case = Case.objects.create(
            reference=f"{office.registry_prefix}-DEMO-{client.pk:05d}-{series}",
            client=client,
            office=office,
            kind=kind,
            incident=incident,
            responsible_lawyer=lawyer,
            paralegal=self.users["paralegal"] if office.registry_prefix == "ALA" else None,
            sensitivity=Case.Sensitivity.SENSITIVE if n % 11 == 0 else Case.Sensitivity.NORMAL,
            summary=self.summary(kind),
            opened_on=self.today - timedelta(days=40 + n % 30),
            status=Case.Status.CLOSED if closed else Case.Status.OPEN,
            outcome=Case.Outcome.WON if closed else "",
            closed_on=self.today - timedelta(days=3) if closed else None,
        )
        CaseNote.objects.create(
            case=case,
            author=self.users["paralegal"],
            kind=CaseNote.Kind.MEETING,
            happened_at=timezone.now() - timedelta(days=35),
            minutes_spent=45,
            text="Первичная консультация, копии документов сняты.",
        )
        if kind == Case.Kind.FINE:
            self.add_fine(case, n)
        if kind == Case.Kind.EXPULSION and incident is None:
            # The raid's cases get their hearing from one court sitting: record_sitting.
            self.add_hearing(case, n)
        if kind == Case.Kind.PERMIT:
            Deadline.objects.create(
                case=case,
                title="Подать документы на продление разрешения",
                due_on=self.today + timedelta(days=3 + n % 20),
            )
        return case

    @staticmethod
    def summary(kind: str) -> str:
        return {
            Case.Kind.EXPULSION: "Задержан при проверке, составлен протокол; грозит выдворение.",
            Case.Kind.FINE: "Оспаривание штрафа по ст. 517 КоАП.",
            Case.Kind.PERMIT: "Продление разрешения задерживается, паспорт в миграционной службе.",
            Case.Kind.COMPLAINT: "Жалоба на требование денег сотрудником при проверке.",
        }.get(kind, "")

    def add_fine(self, case: Case, n: int) -> None:
        article = LegalArticle.objects.filter(article="517").order_by("part").first()
        police = Authority.objects.filter(kind=Authority.Kind.MIGRATION_POLICE).first()
        # Received two days after it was issued: the complaint period runs from then, over
        # or coming, the way a lawyer's desk looks.
        issued = self.today - timedelta(days=8 + n % 10)
        statuses = [
            Fine.Status.CONTESTED,
            Fine.Status.PAID_DISPUTED,
            Fine.Status.ISSUED,
            Fine.Status.ANNULLED,
        ]
        status = statuses[(n // 4) % len(statuses)]
        paid = status == Fine.Status.PAID_DISPUTED
        fine = Fine.objects.create(
            case=case,
            article=article,
            mci_count=Decimal(10),
            mci_year=issued.year,
            amount=Decimal("43250.00"),
            currency="KZT",
            issued_on=issued,
            issued_by=police,
            officer="ст. лейтенант (демо)",
            protocol_number=f"DEMO-{5000 + n}",
            decision_received_on=issued + timedelta(days=2),
            status=status,
            paid_on=issued + timedelta(days=2) if paid else None,
            receipt_number=f"KASPI-{900000 + n}" if paid else "",
            notes="Оплачен, но в базе МВД оплата не отражена." if paid else "",
        )
        # The complaint deadline comes from its rule, as a recorded fine's does.
        sync_fine_deadlines(fine)

    def add_hearing(self, case: Case, n: int) -> None:
        court = Court.objects.filter(city=case.office.city).first() or Court.objects.first()
        tz = timezone.get_current_timezone()
        if (n // 4) % 2:  # upcoming (expulsion cases come every fourth client)
            day = self.today + timedelta(days=1 + n % 6)
            Hearing.objects.create(
                case=case,
                court=court,
                kind=Hearing.Kind.EXPULSION,
                starts_at=datetime.combine(day, time(10 + n % 6, 0), tz),
                judge="Судья (демо)",
            )
        else:  # decided, appeal period running from the day the client got the decision
            day = self.today - timedelta(days=4 + n % 4)
            hearing = Hearing.objects.create(
                case=case,
                court=court,
                kind=Hearing.Kind.EXPULSION,
                starts_at=datetime.combine(day, time(11, 0), tz),
                judge="Судья (демо)",
                outcome=Hearing.Outcome.EXPULSION_ORDERED,
                decision_received_on=day + timedelta(days=1),
            )
            sync_hearing_deadlines(hearing)  # the appeal deadline, from its rule

    # The raid -----------------------------------------------------------------------

    def make_incident(self) -> None:
        office = self.offices["almaty"]
        police = Authority.objects.filter(kind=Authority.Kind.MIGRATION_POLICE).first()
        incident, created = Incident.objects.get_or_create(
            office=office,
            title="Рейд на центральном рынке (демо)",
            defaults={
                "kind": Incident.Kind.RAID,
                "started_on": self.today - timedelta(days=6),
                "ended_on": self.today - timedelta(days=4),
                "place": "Центральный рынок",
                "city": office.city,
                "authority": police,
                "detained_count": 240,
                "expelled_count": 31,
                "description": "Массовые проверки документов у торговцев; задержанных доставили "
                "в отдел миграционной полиции, дела рассмотрены спецсудом за два дня.",
            },
        )
        if not created:
            return
        figures = {"UZ": (130, 18), "TJ": (70, 9), "KG": (40, 4)}
        for code, (detained, expelled) in figures.items():
            IncidentFigure.objects.create(
                incident=incident,
                nationality=Country.objects.get(code=code),
                detained=detained,
                expelled=expelled,
            )
        affected = Client.objects.filter(office=office, nationality__code__in=figures).order_by(
            "pk"
        )[:20]
        for n, client in enumerate(affected):
            IncidentClient.objects.create(
                incident=incident, client=client, detained=True, expelled=n % 4 == 0
            )
            self.add_case(client, n, incident=incident)
        self.record_sitting(incident)

    def record_sitting(self, incident: Incident) -> None:
        """The special administrative court decided all twenty in one sitting, the way the
        page "Record a court sitting" does it: three got their copy a day later, one was
        heard in the afternoon by another judge."""
        court = Court.objects.filter(city=incident.city).first() or Court.objects.first()
        tz = timezone.get_current_timezone()
        day = self.today - timedelta(days=5)
        links = incident.links.order_by("pk")
        entries = []
        for n, link in enumerate(links):
            late = n in (2, 7, 13)
            afternoon = n == 9
            entries.append(
                SittingEntry(
                    client_id=link.client_id,
                    starts_at=datetime.combine(day, time(15 if afternoon else 10, 0), tz),
                    judge="Судья Б. (демо)" if afternoon else "Судья А. (демо)",
                    outcome=Hearing.Outcome.EXPULSION_ORDERED,
                    decision_received_on=day + timedelta(days=2 if late else 1),
                )
            )
        result = record_court_sitting(
            incident=incident,
            court=court,
            kind=Hearing.Kind.EXPULSION,
            entries=entries,
            recorded_by=self.users["coordinator"],
        )
        # The first appeals are already filed: the raid's figures count them as appealed.
        lawyer = self.users["lawyer"]
        for deadline in Deadline.objects.open().filter(hearing__in=result.created[:3]):
            deadline.mark_done(by=lawyer)
            plan_deadline_reminders(deadline)
