"""Reconcile the deadlines that permits and withheld documents call for, now: for the given
clients, or the periodic pass (what changed since the last one)."""

from django.core.management.base import BaseCommand

from casework.services import reconcile_changed_client_deadlines, reconcile_client_deadlines


class Command(BaseCommand):
    help = "Create, move or cancel permit-expiry and passport-held deadlines."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--client", type=int, action="append", dest="clients", default=[])

    def handle(self, *args, clients: list[int], **options) -> None:
        if clients:
            counts = reconcile_client_deadlines(client_ids=clients)
        else:
            counts = reconcile_changed_client_deadlines()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
