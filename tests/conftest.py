"""Shared personas: the responsible lawyer, a read-only colleague, a paralegal, a coordinator
and an outsider from another office."""

import pytest

from tests.factories import CaseFactory, ClientFactory, OfficeFactory, UserFactory


@pytest.fixture
def office(db):
    return OfficeFactory(name="Алматы (тест)", registry_prefix="TAL")


@pytest.fixture
def other_office(db):
    return OfficeFactory(name="Астана (тест)", registry_prefix="TAS", city="Астана")


@pytest.fixture
def lawyer(office):
    return UserFactory(username="t-lawyer", office=office, groups=["lawyer"])


@pytest.fixture
def reader(office):
    """A colleague in the same office with read-only access."""
    return UserFactory(username="t-reader", office=office, groups=["observer"])


@pytest.fixture
def paralegal(office):
    return UserFactory(username="t-paralegal", office=office, groups=["paralegal"])


@pytest.fixture
def coordinator(office):
    return UserFactory(username="t-coordinator", office=office, groups=["coordinator"])


@pytest.fixture
def outsider(other_office):
    return UserFactory(username="t-outsider", office=other_office, groups=["lawyer"])


@pytest.fixture
def client_record(office, paralegal):
    return ClientFactory(office=office, created_by=paralegal)


@pytest.fixture
def case(client_record, lawyer, paralegal):
    return CaseFactory(client=client_record, responsible_lawyer=lawyer, paralegal=paralegal)


@pytest.fixture
def uploads_dir(settings, tmp_path):
    """The test's own upload folder, configured like the real one (use it with
    `pytest.mark.usefixtures("uploads_dir")`)."""
    location = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests (browsers, real workers) end with a flush that empties every
    table, shipped reference data and roles included: put them back before each such test."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from clients.models import Country

    if Country.objects.exists():
        return
    for module in (
        "clients.migrations.0002_reference_defaults",
        "casework.migrations.0004_reference_defaults",
        "clients.migrations.0005_permitkind_reminder_days",
        "casework.migrations.0012_appeal_any_court_decision",
    ):
        importlib.import_module(module).load(apps, None)
    # Shipped values that later migrations filled into those rows.
    for module in (
        "clients.migrations.0007_authority_grammatical_defaults",
        "casework.migrations.0011_court_grammatical_defaults",
    ):
        importlib.import_module(module).fill(apps, None)
    roles = importlib.import_module("casework.migrations.0003_roles").roles()
    # Grants added by later migrations, each a {role: [(app label, codename)]}.
    later = [
        importlib.import_module(module).GRANTS
        for module in (
            "casework.migrations.0005_dashboard_permission",
            "casework.migrations.0009_access_records",
            "casework.migrations.0014_transfer_case_permission",
            "documents.migrations.0004_letter_dispatch",
            "clients.migrations.0010_erasure",
        )
    ]
    for name, perms in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in [*perms, *(p for grants in later for p in grants.get(name, []))]
        )
    # The shipped security policy: coordinators and administrators use a second factor.
    importlib.import_module(
        "casework.migrations.0016_security_policy"
    ).require_for_coordinators_and_administrators(apps, None)
