"""Who looked at a client: their access record, for coordinators and administrators."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from casework.models import AccessRecord
from clients.access import get_client_for

PAGE_SIZE = 50


@require_GET
def client_access(request: HttpRequest, client_pk: int) -> HttpResponse:
    client = get_client_for(request.user, client_pk)  # 404 first: whether they exist
    if not request.user.has_perm("casework.view_accessrecord"):
        raise PermissionDenied
    records = AccessRecord.objects.filter(client=client).select_related("user__office")
    kind = request.GET.get("kind", "")
    if kind in AccessRecord.Kind.values:
        records = records.filter(kind=kind)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"client": client, "page": page, "kind": kind, "kinds": AccessRecord.Kind.choices}
    return render(request, "casework/client_access.html", context)
