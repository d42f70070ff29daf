"""The one way to look up a client's records for a user: 404 for what they may not see,
403 for what they may see but not change. An erased client's records are read, never
changed or added to: the placeholder left by the erasure must not fill up again."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from clients.models import Client, IdentityDocument, Registration, ResidencePermit


def get_visible(queryset: QuerySet, user, pk: int, *, write: bool) -> Model:
    """Fetch one row of an already access-filtered queryset. Reading needs the model's view
    permission (without it the row is not there: 404), changing its change permission (403)."""
    opts = queryset.model._meta
    if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        raise Http404
    obj = get_object_or_404(queryset, pk=pk)
    if write and not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        raise PermissionDenied
    return obj


def refuse_if_erased(client: Client) -> None:
    """403 for adding to or changing what belongs to an erased client."""
    if client.is_erased:
        raise PermissionDenied


def get_client_for(user, pk: int, *, write: bool = False) -> Client:
    clients = Client.objects.visible_to(user).select_related(
        "nationality", "office", "erasure__erased_by"
    )
    client = get_visible(clients, user, pk, write=write)
    if write:
        refuse_if_erased(client)
    return client


def may_add_to(user, client: Client, model) -> bool:
    """Whether the user may add a record of `model` (of any app) to this visible client:
    they hold its add permission and the client was not erased."""
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.add_{opts.model_name}") and not client.is_erased


def get_client_to_add_to(user, pk: int, model) -> Client:
    """The client a new record of `model` is added to: visible (404), and one the user may
    add to (403)."""
    client = get_client_for(user, pk)
    if not may_add_to(user, client, model):
        raise PermissionDenied
    return client


def _of_visible_clients(model, user) -> QuerySet:
    visible = Client.objects.visible_to(user)
    return model.objects.filter(client__in=visible).select_related("client__erasure")


def _get_record(model, user, pk: int, write: bool) -> Model:
    record = get_visible(_of_visible_clients(model, user), user, pk, write=write)
    if write:
        refuse_if_erased(record.client)
    return record


def get_document_for(user, pk: int, *, write: bool = False) -> IdentityDocument:
    return _get_record(IdentityDocument, user, pk, write)


def get_permit_for(user, pk: int, *, write: bool = False) -> ResidencePermit:
    return _get_record(ResidencePermit, user, pk, write)


def get_registration_for(user, pk: int, *, write: bool = False) -> Registration:
    return _get_record(Registration, user, pk, write)
