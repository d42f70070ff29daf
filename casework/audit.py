"""Recording who saw what. A middleware writes one AccessRecord for each successful read of a
person's data, named by the page's URL name: the views stay as they are, and a page added to
READS is recorded without touching it. Search terms are kept in the record (which only
coordinators and administrators read), never in a log line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Subquery
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from casework.models import AccessRecord
from casework.signin import client_ip

Kind = AccessRecord.Kind


@dataclass(frozen=True)
class Read:
    """How a page's read is recorded: its kind, the URL argument naming the record, and the
    model (with the path to its client) that says whose data it was."""

    kind: str
    label: str  # the page, as the access record names it to a person
    argument: str | None = None
    model: str | None = None
    client_path: str | None = None
    search: str | None = None  # the query parameter whose value is a search
    detail: str = ""  # what was read, when the URL does not say it (an export's format)


READS: dict[str, Read] = {
    "clients:client_detail": Read(Kind.CLIENT, _("client's page"), "pk", "clients.Client", "pk"),
    "casework:client_activity": Read(
        Kind.CLIENT, _("client's timeline"), "client_pk", "clients.Client", "pk"
    ),
    "documents:client_attachments": Read(
        Kind.CLIENT, _("client's files"), "client_pk", "clients.Client", "pk"
    ),
    "casework:case_detail": Read(Kind.CASE, _("case page"), "pk", "casework.Case", "client_id"),
    "documents:letter_list": Read(
        Kind.CASE, _("case letters"), "case_pk", "casework.Case", "client_id"
    ),
    "documents:case_attachments": Read(
        Kind.CASE, _("case files"), "case_pk", "casework.Case", "client_id"
    ),
    "documents:letter_pdf": Read(
        Kind.LETTER, _("letter PDF"), "pk", "documents.Letter", "case__client_id"
    ),
    "documents:batch_pdf": Read(Kind.LETTERS, _("batch's merged PDF"), "batch_id"),
    "documents:attachment_download": Read(
        Kind.ATTACHMENT, _("file download"), "pk", "documents.Attachment", "client_id"
    ),
    "casework:dashboard_export": Read(Kind.EXPORT, _("dashboard export")),
    "clients:client_list": Read(Kind.SEARCH, _("client search"), search="q"),
    "casework:case_list": Read(Kind.SEARCH, _("case search"), search="q"),
    "casework:incident_detail": Read(Kind.SEARCH, _("search in an incident"), search="q"),
    "documents:client_export_pdf": Read(
        Kind.EXPORT,
        _("export of a client's data (PDF)"),
        "client_pk",
        "clients.Client",
        "pk",
        detail="client.pdf",
    ),
    "documents:client_export_zip": Read(
        Kind.EXPORT,
        _("export of a client's data (ZIP)"),
        "client_pk",
        "clients.Client",
        "pk",
        detail="client.zip",
    ),
}


def page_label(view_name: str) -> str:
    """The page a record was read through, named for a person; a page no longer recorded
    keeps its stored name."""
    read = READS.get(view_name)
    return str(read.label) if read else view_name


def record_read(request: HttpRequest, read: Read, kwargs: dict) -> None:
    object_id = str(kwargs.get(read.argument, "")) if read.argument else ""
    detail = read.detail
    if read.search:
        detail = request.GET.get(read.search, "").strip()
        if not detail:
            return  # a list without a search is no read of anyone in particular
    elif read.kind == Kind.EXPORT and not detail:
        detail = f"{kwargs.get('table')}.{kwargs.get('fmt')} {request.GET.urlencode()}".strip()
    client_id = None
    if read.model and object_id:
        # Whose data it was, found by the INSERT itself: one query for the whole record.
        model = apps.get_model(read.model)
        owner = model.objects.filter(pk=object_id).order_by().values(read.client_path)[:1]
        client_id = Subquery(owner)
    AccessRecord.objects.create(
        user=request.user,
        kind=read.kind,
        object_id=object_id,
        client_id=client_id,
        page=request.resolver_match.view_name,
        path=request.path[:300],
        detail=detail[:300],
        address=client_ip(request) or None,
    )


class AccessRecordMiddleware:
    """Records each successful GET of a page in READS, once the page has been built (a
    refused or failed page is no read)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            request.method == "GET"
            and response.status_code == 200
            and match is not None
            and match.view_name in READS
            and request.user.is_authenticated
        ):
            record_read(request, READS[match.view_name], match.kwargs)
        return response


def purge_expired_access_records() -> int:
    """Delete the records past the retention period; the number deleted."""
    deleted, _ = AccessRecord.objects.expired().delete()
    return deleted
