"""Showing and saving an edit form of any app, as a whole page or as an htmx fragment, and the
conflict answer shared by every edit view."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clients.forms import EditConflict, VersionedForm

FORM_TEMPLATE = "includes/record_form.html"


def form_response(
    request: HttpRequest, *, form, title: str, cancel_url: str, status: int = 200, **extra
) -> HttpResponse:
    """The form page without JavaScript; only the form fragment for an htmx request."""
    context = {
        "form": form,
        "title": title,
        "action": request.get_full_path(),
        "cancel_url": cancel_url,
        **extra,
    }
    template = f"{FORM_TEMPLATE}#form" if getattr(request, "htmx", False) else FORM_TEMPLATE
    return render(request, template, context, status=status)


def save_or_conflict(
    request: HttpRequest,
    form: VersionedForm,
    *,
    title: str,
    cancel_url: str,
    form_kwargs=None,
    save: Callable[..., object] | None = None,
) -> HttpResponse | None:
    """Save the form, through the service `save(form=form)` when the record's save is a
    workflow (it announces, it re-plans); None when saved. When someone saved the record
    meanwhile, answer 409 with both versions: the form keeps what this user typed, and
    saving it again (now against the newer version) is a deliberate choice to replace
    theirs."""
    try:
        if save is None:
            form.save()
        else:
            save(form=form)
    except EditConflict as conflict:
        rows = form.changed_against(conflict.current)
        data = form.data.copy()
        data["expected_version"] = conflict.current.version
        form = type(form)(data, instance=conflict.current, **(form_kwargs or {}))
        form.is_valid()
        return form_response(
            request,
            form=form,
            title=title,
            cancel_url=cancel_url,
            status=409,
            conflict_rows=rows,
        )
    return None
