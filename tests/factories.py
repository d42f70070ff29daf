"""Lean factories: the least a valid record needs; tests say what matters to them."""

from datetime import timedelta

import factory
from django.utils import timezone

from casework.models import Case, Court, Fine, Hearing, Office, User
from clients.models import Client, Country, IdentityDocument, PermitKind, ResidencePermit


def country(code: str = "KZ") -> Country:
    return Country.objects.get(code=code)


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"Office {n}")
    registry_prefix = factory.Sequence(lambda n: f"T{n:02d}")
    country = factory.LazyFunction(country)
    city = "Алматы"
    address = "ул. Тестовая, 1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    last_name = "Тестова"
    first_name = "Анна"
    office = factory.SubFactory(OfficeFactory)
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            from django.contrib.auth.models import Group

            self.groups.add(*Group.objects.filter(name__in=extracted))
        self.save()


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    last_name = "Рахимов"
    first_name = "Ботир"
    last_name_latin = "Rahimov"
    first_name_latin = "Botir"
    nationality = factory.LazyFunction(lambda: country("UZ"))
    office = factory.SubFactory(OfficeFactory)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"TEST-C-{n:05d}")
    client = factory.SubFactory(ClientFactory)
    office = factory.SelfAttribute("client.office")
    kind = Case.Kind.EXPULSION


class PermitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidencePermit

    client = factory.SubFactory(ClientFactory)
    kind = factory.LazyFunction(lambda: PermitKind.objects.get(code="labour-immigrant"))
    number = factory.Sequence(lambda n: f"P{n:06d}")
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=100))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=100))


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdentityDocument

    client = factory.SubFactory(ClientFactory)
    number = factory.Sequence(lambda n: f"AA{n:07d}")
    issuing_country = factory.LazyFunction(lambda: country("UZ"))


class FineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fine

    case = factory.SubFactory(CaseFactory)
    amount = 43250
    issued_on = factory.LazyFunction(timezone.localdate)


class HearingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hearing

    case = factory.SubFactory(CaseFactory)
    court = factory.LazyFunction(lambda: Court.objects.filter(kind="administrative").first())
    kind = Hearing.Kind.EXPULSION
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
