"""The one way to look up a client's records for a user: 404 for what they may not see,
403 for what they may see but not change."""

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


def get_client_for(user, pk: int, *, write: bool = False) -> Client:
    clients = Client.objects.visible_to(user).select_related("nationality", "office")
    return get_visible(clients, user, pk, write=write)


def _of_visible_clients(model, user) -> QuerySet:
    return model.objects.filter(client__in=Client.objects.visible_to(user)).select_related("client")


def get_document_for(user, pk: int, *, write: bool = False) -> IdentityDocument:
    return get_visible(_of_visible_clients(IdentityDocument, user), user, pk, write=write)


def get_permit_for(user, pk: int, *, write: bool = False) -> ResidencePermit:
    return get_visible(_of_visible_clients(ResidencePermit, user), user, pk, write=write)


def get_registration_for(user, pk: int, *, write: bool = False) -> Registration:
    return get_visible(_of_visible_clients(Registration, user), user, pk, write=write)
