"""Saving a client's permits and identity documents so that the apps above hear of it.

Every write path of these records (the client's pages, intake, the quick intake after a
raid, the administration) saves through here or calls `announce_*` after its own save; the
announcement goes out once the transaction commits (see `clients.signals`)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction

from clients.models import Client, Country, IdentityDocument, ResidencePermit
from clients.signals import document_changed, permit_changed

if TYPE_CHECKING:
    from clients.forms import IdentityDocumentForm, ResidencePermitForm


def announce_permit(permit: ResidencePermit, *, created: bool) -> None:
    """Send `permit_changed` with the permit's values as saved, after the current transaction
    commits (at once outside a transaction; never if it rolls back)."""
    transaction.on_commit(
        partial(
            permit_changed.send,
            sender=ResidencePermit,
            client_id=permit.client_id,
            permit_id=permit.pk,
            created=created,
            valid_until=permit.valid_until,
            active=permit.archived_at is None and permit.status in ResidencePermit.ACTIVE_STATUSES,
        )
    )


def announce_document(document: IdentityDocument, *, created: bool) -> None:
    """Send `document_changed` with the document's values as saved, after the current
    transaction commits (at once outside a transaction; never if it rolls back)."""
    transaction.on_commit(
        partial(
            document_changed.send,
            sender=IdentityDocument,
            client_id=document.client_id,
            document_id=document.pk,
            created=created,
            held_by_id=document.held_by_id,
            held_since=document.held_since,
            active=document.archived_at is None,
        )
    )


def save_permit(*, form: ResidencePermitForm) -> ResidencePermit:
    """Save a permit from its form, new or edited, and announce it. An edit conflict
    (`EditConflict`, raised by the form) saves and announces nothing."""
    created = form.instance._state.adding
    permit = form.save()  # in a transaction of its own, or the caller's
    announce_permit(permit, created=created)
    return permit


def save_document(*, form: IdentityDocumentForm) -> IdentityDocument:
    """Save an identity document from its form, new or edited, and announce it. An edit
    conflict (`EditConflict`, raised by the form) saves and announces nothing."""
    created = form.instance._state.adding
    document = form.save()  # in a transaction of its own, or the caller's
    announce_document(document, created=created)
    return document


def record_document(*, client: Client, number: str, issuing_country: Country) -> IdentityDocument:
    """A passport typed at intake, recorded for the client and announced."""
    document = IdentityDocument.objects.create(
        client=client, number=number, issuing_country=issuing_country
    )
    announce_document(document, created=True)
    return document
