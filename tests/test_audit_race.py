"""The audit chain under concurrent writers: every record gets the next sequence number and links to the one
before, whatever the interleaving (the chain head's row lock serialises appends)."""

import threading

import pytest
from django.db import connection, connections

from xinghuo.core import audit, context
from xinghuo.core.models import AuditEvent
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.organisations.services import organisation_create
from xinghuo.regions.models import Region

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 8
EACH = 6


def test_concurrent_writers_never_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip("the race runs on PostgreSQL; SQLite serialises writers with IMMEDIATE transactions")
    parent = Organisation.unscoped.get(code="KX370902")
    region = Region.objects.get(code="370902001")
    before = AuditEvent.objects.count()
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            with context.acting(context.ActorContext(user_label=f"writer{n}", source="test")):
                for i in range(EACH):
                    organisation_create(name=f"并发学校{n}-{i}", kind=OrganisationKind.SCHOOL, region=region, parent=parent)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    assert AuditEvent.objects.count() == before + WRITERS * EACH
    checked, broken, reason = audit.verify_chain()
    assert broken is None
    assert reason == ""
    assert checked == before + WRITERS * EACH
