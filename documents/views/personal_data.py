"""A person's data on request: everything held about a client, exported as a readable PDF and
as a ZIP (JSON and the files); the client's erasure; and the review of closed cases past the
retention period. Each needs its own permission (`clients.export_client`,
`clients.erase_client`), which only coordinators hold by default."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from casework.models import Case
from clients.access import get_client_for
from clients.models import Client
from clients.sorting import Sorting
from documents.erasure import PLACEHOLDER, ErasureRefused, erase_client
from documents.forms import ErasureForm
from documents.personal_data import export_pdf, export_zip, gather

PAGE_SIZE = 50
RETENTION_SORTING = Sorting(
    {"closed": ("closed_on",), "client": ("client__last_name", "client__first_name")},
    default="closed",
)


def _client_with(request: HttpRequest, client_pk: int, permission: str) -> Client:
    client = get_client_for(request.user, client_pk)  # 404 first: whether they exist
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return client


@require_GET
def client_export_pdf(request: HttpRequest, client_pk: int) -> HttpResponse:
    client = _client_with(request, client_pk, "clients.export_client")
    pdf = export_pdf(gather(client, request.user))
    response = HttpResponse(pdf, content_type="application/pdf")
    # The file name carries the record's number, not the person's name.
    response["Content-Disposition"] = f'attachment; filename="client-{client.pk}.pdf"'
    return response


@require_GET
def client_export_zip(request: HttpRequest, client_pk: int) -> FileResponse:
    client = _client_with(request, client_pk, "clients.export_client")
    archive = export_zip(gather(client, request.user))
    return FileResponse(
        archive,
        as_attachment=True,
        filename=f"client-{client.pk}.zip",
        content_type="application/zip",
    )


@require_http_methods(["GET", "POST"])
def client_erase(request: HttpRequest, client_pk: int) -> HttpResponse:
    """What the erasure removes and keeps, then the ground and the typed last name."""
    client = _client_with(request, client_pk, "clients.erase_client")
    if client.is_erased:
        messages.info(request, _("This client's data were erased already."))
        return redirect(client)
    form = ErasureForm(request.POST or None, client=client)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                erase_client(
                    client_id=client.pk, by=request.user, reason=data["reason"], note=data["note"]
                )
            except ErasureRefused as refusal:
                form.add_error(None, str(refusal))
                status = 409
            else:
                messages.success(request, _("The client's personal data were erased."))
                return redirect(client)
    not_closed = Case.objects.filter(client=client).exclude(status=Case.Status.CLOSED)
    open_cases = list(Case.objects.visible_to(request.user).filter(pk__in=not_closed))
    context = {
        "client": client,
        "form": form,
        "placeholder": PLACEHOLDER.format(pk=client.pk),
        "open_cases": open_cases,
        "hidden_open_cases": not_closed.count() - len(open_cases),
    }
    return render(request, "documents/client_erase.html", context, status=status)


@require_GET
def retention_review(request: HttpRequest) -> HttpResponse:
    """Closed cases past CLOSED_CASE_RETENTION_DAYS, for whoever may erase their clients."""
    if not request.user.has_perm("clients.erase_client"):
        raise PermissionDenied
    sort = RETENTION_SORTING.choose(request.GET.get("sort"))
    cases = (
        Case.objects.visible_to(request.user)
        .past_retention()
        .select_related("client", "office", "responsible_lawyer")
        .order_by(*sort.ordering)
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "sort": sort, "days": settings.CLOSED_CASE_RETENTION_DAYS}
    return render(request, "documents/retention_review.html", context)
