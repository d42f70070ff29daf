"""The one way to look up letters, batches and attachments for a user: 404 for what they
may not see, 403 for what they may see but not change."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from casework.models import Incident
from clients.access import get_visible
from documents.models import Attachment, Letter, LetterBatch


def get_letter_for(user, pk: int) -> Letter:
    """Issued letters never change: there is only reading (and issuing a correction)."""
    letters = Letter.objects.visible_to(user).select_related(
        "case__client__erasure", "case__office", "template"
    )
    return get_object_or_404(letters, pk=pk)


def get_batch_for(user, pk) -> LetterBatch:
    """A batch of an incident the user may see, for readers of letters. Its letters are
    still filtered one by one: a batch can hold a sensitive case's letter that this reader
    may not see (`LetterBatch.letters_for`)."""
    if not user.has_perm("documents.view_letter"):
        raise Http404
    batches = LetterBatch.objects.filter(
        incident__in=Incident.objects.visible_to(user)
    ).select_related("incident", "template")
    return get_object_or_404(batches, pk=pk)


def get_merged_pdf_for(user, pk) -> LetterBatch:
    """The batch whose merged PDF the user may open: only who may see every letter in it."""
    batch = get_batch_for(user, pk)
    if not batch.merged_pdf or not batch.shows_every_letter_to(user):
        raise Http404
    return batch


def get_attachment_for(user, pk: int, *, write: bool = False) -> Attachment:
    attachments = Attachment.objects.visible_to(user).select_related("uploaded_by")
    return get_visible(attachments, user, pk, write=write)
