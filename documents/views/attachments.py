"""Scans of passports, permits, decisions and receipts: listed and uploaded on a client's or a
case's page (htmx) or on their own page (without JavaScript), downloaded only through an access
check."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from casework.access import get_case_for
from clients.access import get_client_for, may_add_to
from documents import uploads
from documents.access import get_attachment_for
from documents.forms import AttachmentForm
from documents.models import Attachment

PAGE_SIZE = 50
TEMPLATE = "documents/attachment_list.html"


def _attachments(request: HttpRequest, *, owner: dict, title: str) -> HttpResponse:
    """List the owner's files and take a new one; `owner` is {"client": ...} or {"case": ...}."""
    form, status, notice = AttachmentForm(), 200, ""
    (parent,) = owner.values()
    # Nothing is added to an erased client, nor to their cases.
    can_upload = may_add_to(request.user, getattr(parent, "client", parent), Attachment)
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        new = Attachment(uploaded_by=request.user, **owner)
        form = AttachmentForm(request.POST, request.FILES, instance=new)
        if form.is_valid():
            form.save()
            notice = form.notice()
            if not request.htmx:
                messages.success(request, _("File uploaded."))
                if notice:
                    messages.warning(request, notice)
                return redirect(request.path)
            form = AttachmentForm()
        else:
            status = 400
    attachments = Attachment.objects.active().filter(**owner).select_related("uploaded_by")
    page = Paginator(attachments, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "parent": parent,
        "title": title,
        "page": page,
        "form": form,
        "url": request.path,
        "notice": notice,
        "can_upload": can_upload,
    }
    template = f"{TEMPLATE}#attachments" if request.htmx else TEMPLATE
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def client_attachments(request: HttpRequest, client_pk: int) -> HttpResponse:
    client = get_client_for(request.user, client_pk)
    return _attachments(request, owner={"client": client}, title=client.full_name)


@require_http_methods(["GET", "POST"])
def case_attachments(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for(request.user, case_pk)
    return _attachments(request, owner={"case": case}, title=case.reference)


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_attachment_for(request.user, pk)
    if not attachment.file:  # removed with its client's personal data
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=uploads.download_name(attachment.original_name, attachment.content_type),
        content_type=attachment.content_type,
    )
