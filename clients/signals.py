"""What `clients` announces to the apps above it, which it does not import.

Each signal is sent by `clients.services` once the transaction that saved the record has
committed (never from `save()` nor on `post_save`), so a receiver sees the saved data, and a
save that rolled back sends nothing. A record saved twice in one transaction is announced
twice, with its final values both times: a receiver must be idempotent. The arguments are
ids and dates, never model instances; `sender` is the model class.
"""

from django.dispatch import Signal

permit_changed = Signal()
"""A residence permit was recorded or changed in any field, archived included.

Arguments: `client_id` (int), `permit_id` (int), `created` (bool: the permit is new),
`valid_until` (date or None), `active` (bool: a valid or renewal-pending permit, not archived:
one whose expiry still matters)."""

document_changed = Signal()
"""An identity document was recorded or changed in any field: handed to an authority,
returned, archived, or corrected.

Arguments: `client_id` (int), `document_id` (int), `created` (bool: the document is new),
`held_by_id` (int or None: the authority holding it), `held_since` (date or None),
`active` (bool: not archived)."""
