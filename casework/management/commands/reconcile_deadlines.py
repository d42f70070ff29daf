"""Reconcile the deadlines that permits and withheld documents call for, now: for the given
clients, or for every client with an open case (the full pass a rule change runs), e.g.
after rules were changed outside the administration or records written past the services."""

from django.core.management.base import BaseCommand

from casework.services import reconcile_all_client_deadlines, reconcile_client_deadlines


class Command(BaseCommand):
    help = "Create, move or cancel permit-expiry and passport-held deadlines."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--client",
            type=int,
            action="append",
            dest="clients",
            default=[],
            help="Only this client (repeat for more); without it, every client with an open case.",
        )

    def handle(self, *args, clients: list[int], **options) -> None:
        if clients:
            counts = reconcile_client_deadlines(client_ids=clients)
        else:
            counts = reconcile_all_client_deadlines()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
