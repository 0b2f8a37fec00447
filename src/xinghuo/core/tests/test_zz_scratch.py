from django.core.management import call_command
from django.db import connection
from tests.factories import PASSWORD

from xinghuo.core import audit
from xinghuo.core.models import AuditEvent


def test_lockout(personas, client):
    s = AuditEvent.objects.order_by("-seq").first().seq
    for i in range(7):
        r = client.post("/accounts/login/", {"username": "county_a", "password": "wrong-one"})
        print(
            i + 1, r.status_code, list(AuditEvent.objects.filter(seq__gt=s).order_by("seq").values_list("action", "object_repr", "outcome"))
        )
        s = AuditEvent.objects.order_by("-seq").first().seq
    r = client.post("/accounts/login/", {"username": "county_a", "password": PASSWORD})
    print("right", r.status_code, list(AuditEvent.objects.filter(seq__gt=s).values_list("action")))


def test_tamper(personas):
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("DROP TRIGGER core_auditevent_no_update")
        else:
            c.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_change")
        c.execute("UPDATE core_auditevent SET object_repr = 'x' WHERE seq = 10")
    print(audit.verify_chain())
    with connection.cursor() as c:
        c.execute("DELETE FROM core_auditevent")
    print(audit.verify_chain())
    call_command("verify_audit")


def test_trigger_still_there(personas):
    with connection.cursor() as c:
        try:
            c.execute("UPDATE core_auditevent SET object_repr = 'x' WHERE seq = 10")
            print("UPDATE ALLOWED")
        except Exception as e:
            print("refused", type(e), e)
