"""Nothing a user can reach deletes a record: records are archived, and a person's data leave
only through the erasure (tests/documents/test_erasure.py), which keeps the rows anonymous."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from clients.models import Client, Erasure
from tests.factories import UserFactory
from tests.security.test_access_matrix import app_url_names

pytestmark = pytest.mark.django_db

# Django's and the sign-in packages' own tables, not the records of people Casework helps:
# an administrator lifts a sign-in pause by deleting its attempt row (README, "Security").
NOT_CASEWORK = {"axes", "account"}


@pytest.fixture
def superuser_request(office):
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(username="root", office=office, is_staff=True, is_superuser=True)
    return request


def casework_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label not in NOT_CASEWORK
    ]


@pytest.mark.parametrize(
    ("model", "model_admin"), casework_admins(), ids=lambda x: getattr(x, "__name__", "")
)
def test_no_administration_page_deletes_even_for_a_superuser(model, model_admin, superuser_request):
    assert not model_admin.has_delete_permission(superuser_request)
    assert "delete_selected" not in model_admin.get_actions(superuser_request)
    for inline in model_admin.get_inline_instances(superuser_request):
        assert not inline.can_delete or not inline.has_delete_permission(superuser_request)


def test_no_page_of_casework_is_named_for_deleting():
    names = {name for name in app_url_names() if "delete" in name or "remove" in name}
    # Removing one's own passkey is about one's own account, not a record.
    assert names == {"mfa_remove_webauthn"}


def test_an_erased_client_cannot_be_filled_in_again_in_the_administration(
    client, client_record, coordinator, superuser_request
):
    Erasure.objects.create(client=client_record, erased_by=coordinator, reason="request")
    client.force_login(superuser_request.user)
    url = reverse("admin:clients_client_change", args=[client_record.pk])
    response = client.post(url, {"last_name": "Иванов", "office": client_record.office_id})
    assert response.status_code == 403
    assert Client.objects.get(pk=client_record.pk).last_name == client_record.last_name
