import pytest
from django.db import connection

from clients.models import Client
from clients.views import search_clients

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_name_search_uses_the_trigram_index(client_record):
    queryset = search_clients(Client.objects.all(), "Rakhimov")
    with connection.cursor() as cursor:
        # A handful of rows would always be scanned; ask what the planner does at scale.
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "client_search_key_trgm" in plan
