"""The one way to look up letters, batches and attachments for a user: 404 for what they
may not see, 403 for what they may see but not change."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from casework.models import Case, Incident
from clients.access import get_visible
from documents.models import Attachment, Letter, LetterBatch


def get_letter_for(user, pk: int) -> Letter:
    """Issued letters never change: there is only reading (and issuing a correction)."""
    letters = Letter.objects.filter(case__in=Case.objects.visible_to(user)).select_related(
        "case__client", "case__office", "template"
    )
    return get_object_or_404(letters, pk=pk)


def get_batch_for(user, pk) -> LetterBatch:
    batches = LetterBatch.objects.filter(
        incident__in=Incident.objects.visible_to(user)
    ).select_related("incident", "template")
    return get_object_or_404(batches, pk=pk)


def get_attachment_for(user, pk: int, *, write: bool = False) -> Attachment:
    attachments = Attachment.objects.visible_to(user).select_related("uploaded_by")
    return get_visible(attachments, user, pk, write=write)
