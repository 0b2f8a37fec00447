"""The audit admin's pages: search, read, export and verify the trail. Nobody else reaches them, and no page
changes or deletes a record."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from openpyxl import load_workbook
from tests.factories import PASSWORD

from xinghuo.accounts.roles import Role
from xinghuo.accounts.services import membership_grant
from xinghuo.core import audit
from xinghuo.core.admin import admin_site
from xinghuo.core.audit_views import AUDIT_COLUMNS
from xinghuo.core.excel import XLSX
from xinghuo.core.models import AuditAction, AuditChainHead, AuditEvent, AuditPending, AuditSeal
from xinghuo.organisations.models import Organisation


@pytest.fixture
def auditor(personas, client, login) -> Client:
    return login(client, personas.auditadmin)


@pytest.fixture
def grant(personas) -> AuditEvent:
    """A role grant of this test's own, sealed as after its commit: county A staff made a reviewer."""
    membership_grant(user=personas.county_a, organisation=Organisation.unscoped.get(code="KX370902"), role=Role.REVIEWER)
    audit.seal_pending()
    return AuditEvent.objects.select_related("seal").filter(action=AuditAction.ROLE_GRANT).order_by("-id").first()


def _listed(response) -> list[AuditEvent]:
    assert response.status_code == 200
    return list(response.context["page_obj"].object_list)


# --- the list and its filters ---------------------------------------------------------------------------------


def test_the_list_shows_the_newest_records_first(auditor, grant):
    response = auditor.get("/console/audit/")

    listed = _listed(response)
    assert listed[0] == AuditEvent.objects.order_by("-id").first()
    assert grant in listed
    assert f'href="/console/audit/{grant.pk}/">{grant.seq}</a>' in response.content.decode()


def test_a_record_not_yet_sealed_is_listed_first_and_has_its_page(auditor, grant):
    pending = audit.record(AuditAction.EXPORT, object_type="organisations.organisation", object_repr="导出《组织机构》3 行")

    response = auditor.get("/console/audit/")

    assert _listed(response)[0] == pending
    assert pending.seq is None
    assert f'href="/console/audit/{pending.pk}/"><span class="text-muted">待封存</span></a>' in response.content.decode()
    page = auditor.get(f"/console/audit/{pending.pk}/").content.decode()
    assert "待封存：记录已提交，尚未链入哈希链" in page
    assert "导出《组织机构》3 行" in page


def test_filter_by_action(auditor, grant):
    listed = _listed(auditor.get("/console/audit/", {"action": AuditAction.ROLE_GRANT}))

    assert grant in listed
    assert {e.action for e in listed} == {AuditAction.ROLE_GRANT}


def test_filter_by_actor(personas, auditor):
    Client().post("/accounts/login/", {"username": "county_b", "password": PASSWORD})
    signed_in = AuditEvent.objects.filter(action=AuditAction.LOGIN).order_by("-id").first()

    listed = _listed(auditor.get("/console/audit/", {"actor": "county_b"}))

    assert signed_in in listed
    assert {e.actor_label for e in listed} == {"county_b"}


def test_filter_by_object_and_request(auditor, grant):
    by_object = _listed(auditor.get("/console/audit/", {"object_type": "accounts.membership", "object_id": grant.object_id}))
    by_request = _listed(auditor.get("/console/audit/", {"request_id": grant.request_id}))

    assert {e.action for e in by_object} == {AuditAction.CREATE, AuditAction.ROLE_GRANT}
    assert grant in by_request


def test_filter_by_date_range(auditor, grant):
    today = timezone.localdate()

    todays = _listed(auditor.get("/console/audit/", {"date_from": today.isoformat(), "date_to": today.isoformat()}))
    until_yesterday = _listed(auditor.get("/console/audit/", {"date_to": (today - timedelta(days=1)).isoformat()}))
    from_tomorrow = _listed(auditor.get("/console/audit/", {"date_from": (today + timedelta(days=1)).isoformat()}))

    assert grant in todays
    assert grant not in until_yesterday
    assert from_tomorrow == []


def test_a_bad_date_gives_a_chinese_error_not_a_500(auditor, grant):
    response = auditor.get("/console/audit/", {"date_from": "2026-13-45"})

    assert response.status_code == 200
    assert "请输入有效日期，如 2026-01-31" in response.content.decode()


def test_an_end_before_the_start_gives_a_chinese_error(auditor, grant):
    response = auditor.get("/console/audit/", {"date_from": "2026-03-01", "date_to": "2026-02-01"})

    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()


@pytest.mark.parametrize("params", [{"date_from": "2026-13-45"}, {"action": "login", "date_from": "2026-03-01", "date_to": "2026-02-01"}])
def test_a_bad_filter_gives_an_empty_result(auditor, grant, params):
    response = auditor.get("/console/audit/", params)

    assert _listed(response) == []
    assert "没有符合条件的审计记录" in response.content.decode()


def test_the_list_pages_through_the_trail(auditor, grant):
    newest_first = list(AuditEvent.objects.order_by("-id").values_list("id", flat=True))

    second = _listed(auditor.get("/console/audit/", {"page": 2}))

    assert len(newest_first) > 30
    assert [e.pk for e in second] == newest_first[30:60]


# --- one record -----------------------------------------------------------------------------------------------


def test_a_record_shows_everything_it_holds(personas, auditor, grant):
    response = auditor.get(f"/console/audit/{grant.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    for shown in (f"#{grant.seq}", grant.hash, grant.prev_hash, grant.object_id, grant.object_repr, "授予角色", "reviewer", "KX370902"):
        assert shown in page


def test_a_record_that_does_not_exist_is_404(auditor, grant):
    assert auditor.get(f"/console/audit/{grant.pk + 1000}/").status_code == 404


# --- export ---------------------------------------------------------------------------------------------------


def test_the_export_is_a_workbook_of_the_filtered_records_and_is_itself_audited(personas, auditor, grant, watch_trail):
    grants = AuditEvent.objects.filter(action=AuditAction.ROLE_GRANT).count()
    watch = watch_trail()

    response = auditor.get("/console/audit/export/", {"action": AuditAction.ROLE_GRANT})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [c.title for c in AUDIT_COLUMNS]
    assert len(rows) == 1 + grants
    newest = dict(zip(rows[0], rows[1], strict=True))
    assert (newest["序号"], newest["操作"], newest["对象"], newest["哈希"]) == (grant.seq, "授予角色", grant.object_id, grant.hash)
    assert {row[4] for row in rows[1:]} == {"授予角色"}
    export = watch.one(AuditAction.EXPORT)
    assert (export.actor_label, export.actor_role) == ("auditadmin", "audit_admin@KX370900-BGS")
    assert (export.object_type, export.object_repr) == ("core.auditevent", f"导出《审计日志》{grants} 行")


# --- verifying the chain --------------------------------------------------------------------------------------


def test_verify_reports_an_untouched_chain(auditor, grant):
    response = auditor.post("/console/audit/verify/", follow=True)

    assert response.redirect_chain == [("/console/audit/", 302)]
    assert f"哈希链校验通过：共 {AuditEvent.objects.count()} 条记录，未发现篡改" in response.content.decode()


def test_verify_names_the_first_altered_record(auditor, grant, tamper):
    tamper("UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["改过的名称", grant.pk])

    response = auditor.post("/console/audit/verify/", follow=True)

    assert f"哈希链校验失败：第 {grant.seq} 条记录" in response.content.decode()


def test_verify_is_a_post(auditor):
    assert auditor.get("/console/audit/verify/").status_code == 405


# --- who may --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["city_staff", "county_a", "organiser", "reviewer", "citizen", "sysadmin", "secadmin"])
@pytest.mark.parametrize(
    "method_page", ["GET /console/audit/", "GET /console/audit/export/", "GET /console/audit/{pk}/", "POST /console/audit/verify/"]
)
def test_nobody_but_the_audit_admin_reaches_the_audit_pages(personas, client, login, grant, watch_trail, persona, method_page):
    login(client, getattr(personas, persona))
    method, page = method_page.split()
    watch = watch_trail()

    response = getattr(client, method.lower())(page.format(pk=grant.pk))

    assert response.status_code == 404
    assert grant.hash not in response.content.decode()
    assert watch.events() == []  # no export was written for them


def test_the_audit_admin_needs_the_second_factor(personas, client, login, grant):
    login(client, personas.auditadmin, verified=False)

    response = client.get("/console/audit/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/otp/")


def test_a_visitor_is_sent_to_sign_in(client, grant):
    response = client.get(f"/console/audit/{grant.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- no page changes or deletes a record ----------------------------------------------------------------------


def _routes(patterns=None, prefix: str = "") -> list[str]:
    routes: list[str] = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            routes += _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            routes.append(prefix + str(p.pattern))
    return routes


def test_no_audit_route_but_verify_accepts_a_write(auditor, grant):
    audit_routes = ["/" + r.replace("<int:pk>", str(grant.pk)) for r in _routes() if r.startswith("console/audit/")]
    assert sorted(audit_routes) == sorted(
        ["/console/audit/", "/console/audit/export/", "/console/audit/verify/", f"/console/audit/{grant.pk}/"]
    )
    before = (AuditEvent.objects.count(), AuditSeal.objects.get(event=grant).hash)

    answers = {
        (route, method): getattr(auditor, method)(route, content_type="application/x-www-form-urlencoded").status_code
        for route in audit_routes
        for method in ("post", "put", "patch", "delete")
    }

    assert {key for key, status in answers.items() if status != 405} == {("/console/audit/verify/", "post")}
    assert (AuditEvent.objects.count(), AuditSeal.objects.get(event=grant).hash) == before


def test_the_trail_is_not_in_the_django_admin_or_the_api():
    api_routes = [r for r in _routes() if r.startswith("api/")]

    assert {AuditEvent, AuditSeal, AuditPending, AuditChainHead}.isdisjoint(admin_site._registry)
    assert api_routes
    assert [r for r in api_routes if "audit" in r] == []


def test_verify_changes_nothing_but_seals_what_was_pending(auditor, grant):
    before = list(AuditSeal.objects.order_by("seq").values_list("event_id", "seq", "prev_hash", "hash"))
    pending = audit.record(AuditAction.EXPORT, object_type="organisations.organisation")

    auditor.post("/console/audit/verify/")

    after = list(AuditSeal.objects.order_by("seq").values_list("event_id", "seq", "prev_hash", "hash"))
    assert after[: len(before)] == before
    assert [(event_id, seq) for event_id, seq, *_ in after[len(before) :]] == [(pending.pk, len(before) + 1)]
    assert audit.verify_chain()[1] is None
