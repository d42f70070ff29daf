"""The batch page's progress bar: full only when the batch is done."""

from documents.models import LetterBatch


def test_a_batch_not_yet_counted_shows_an_empty_bar_not_a_full_one():
    # The runner counts the clients when it starts; until then the total is 0.
    assert LetterBatch(status=LetterBatch.Status.QUEUED, total=0, processed=0).percent == 0
    assert LetterBatch(status=LetterBatch.Status.RUNNING, total=0, processed=0).percent == 0


def test_the_bar_moves_with_the_letters_and_is_full_when_done():
    assert LetterBatch(status=LetterBatch.Status.RUNNING, total=20, processed=1).percent == 5
    assert LetterBatch(status=LetterBatch.Status.DONE, total=20, processed=20).percent == 100
    assert LetterBatch(status=LetterBatch.Status.DONE, total=0, processed=0).percent == 100
