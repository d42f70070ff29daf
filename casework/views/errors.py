"""The answer to a request Django could not read: a form upload whose parts it refused says
why, in the form's message place when htmx sent it, instead of a bare "Bad Request"."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.views.defaults import bad_request as django_bad_request

from casework.middleware import refuse_upload


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not isinstance(exception, MultiPartParserError):
        return django_bad_request(request, exception)
    # The parts could not be read, so this request has lost what was typed: over htmx the
    # form stays on the page as it was; without, the Back button brings it back.
    context = {"back_url": request.path}
    return refuse_upload(request, "upload_unreadable.html", context, status=400)
