"""What casework does when `clients` announces a change (see `clients.signals`): each
receiver only calls a casework service. Connected in `CaseworkConfig.ready`."""

from __future__ import annotations

from casework.services import reconcile_client_deadlines


def client_records_changed(sender, *, client_id: int, **kwargs) -> None:
    """A permit or identity document of the client was recorded or changed: the deadlines it
    calls for on the client's open cases, and their reminders, follow at once (a few
    queries, whatever the client has). Running it twice changes nothing more."""
    reconcile_client_deadlines(client_ids=[client_id])
