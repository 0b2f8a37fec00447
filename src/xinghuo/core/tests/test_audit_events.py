"""Every kind of event leaves exactly one audit record, which says who, in which role, did what to which
record, with what outcome, when, from which address and in which request.

Each case arranges what it needs, then returns the act: one request through the test client (or, where the
platform has no page for it, one call made inside an actor context, as a command or job would)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.factories import PASSWORD, StaffFactory
from tests.personas import Personas

from xinghuo.accounts.actor import SESSION_KEY
from xinghuo.accounts.models import Membership, User
from xinghuo.accounts.roles import Role
from xinghuo.accounts.services import membership_grant, token_issue
from xinghuo.core import context
from xinghuo.core.excel import XLSX
from xinghuo.core.models import AuditAction, AuditOutcome
from xinghuo.core.scoping import system_scope
from xinghuo.organisations.models import Organisation
from xinghuo.portal.models import News
from xinghuo.portal.services import news_create

CITY_ROLE = "city_staff@KX370900-KPB"
COUNTY_A_ROLE = "county_staff@KX370902"
SYSADMIN_ROLE = "system_admin@KX370900-BGS"
SECADMIN_ROLE = "security_admin@KX370900-BGS"
NEW_PASSWORD = "Qz7#Lm2!Vw9@Rt4"


@dataclass(frozen=True)
class Expected:
    actor: User | None
    actor_label: str
    actor_role: str
    object_type: str
    object_id: str
    outcome: str = AuditOutcome.SUCCESS
    object_repr: str = ""  # a part of the record's name, where it matters
    ip: str = "127.0.0.1"
    request_id: str = ""  # for a request: its X-Request-ID header


Act = Callable[[], tuple[HttpResponse | None, Expected]]
Arrange = Callable[[Personas, Client, Callable], Act]


def _org(code: str) -> Organisation:
    return Organisation.unscoped.get(code=code)


def _fail_login(client: Client, username: str = "county_a") -> HttpResponse:
    return client.post("/accounts/login/", {"username": username, "password": "not-the-password"})


# --- the cases -----------------------------------------------------------------------------------------------


def create_organisation(p: Personas, client: Client, login: Callable) -> Act:
    login(client, p.city_staff)
    parent = _org("KX370902")

    def act():
        response = client.post(
            "/console/organisations/new/",
            {"name": "泰山区实验学校", "kind": "school", "parent": str(parent.uid), "region": "370902001"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        org = Organisation.unscoped.get(parent=parent, name="泰山区实验学校")
        return response, Expected(p.city_staff, "city_staff", CITY_ROLE, "organisations.organisation", str(org.uid), object_repr=org.code)

    return act


def update_organisation(p: Personas, client: Client, login: Callable) -> Act:
    login(client, p.county_a)

    def act():
        response = client.post(
            f"/console/organisations/{p.org_a.uid}/edit/", {"name": "岱庙街道第二小学", "kind": "school", "region": "370902001"}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Organisation.unscoped.get(pk=p.org_a.pk).name == "岱庙街道第二小学"
        return response, Expected(p.county_a, "county_a", COUNTY_A_ROLE, "organisations.organisation", str(p.org_a.uid))

    return act


def delete_news(p: Personas, client: Client, login: Callable) -> Act:
    """No page deletes anything yet: a job deletes a news item, acting for city staff."""
    news = news_create(actor=p.actor(p.city_staff), title="科技周开幕", body="五月二十日开幕。", category="work")
    job = context.ActorContext(
        user_id=p.city_staff.pk, user_label="city_staff", role_label=CITY_ROLE, ip="10.37.9.15", request_id="job-news-cleanup-0001"
    )

    def act():
        with context.acting(job), system_scope():
            news.delete()
            assert not News.objects.filter(uid=news.uid).exists()
        return None, Expected(
            p.city_staff, "city_staff", CITY_ROLE, "portal.news", str(news.uid), object_repr="科技周开幕",
            ip="10.37.9.15", request_id="job-news-cleanup-0001",
        )  # fmt: skip

    return act


def login_right_password(p: Personas, client: Client, login: Callable) -> Act:
    def act():
        response = client.post("/accounts/login/", {"username": "county_a", "password": PASSWORD})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(p.county_a.pk)
        return response, Expected(p.county_a, "county_a", "", "accounts.user", str(p.county_a.uid))

    return act


def logout(p: Personas, client: Client, login: Callable) -> Act:
    login(client, p.county_a)

    def act():
        response = client.post("/accounts/logout/")
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session
        return response, Expected(p.county_a, "county_a", COUNTY_A_ROLE, "accounts.user", str(p.county_a.uid))

    return act


def login_wrong_password(p: Personas, client: Client, login: Callable) -> Act:
    def act():
        response = _fail_login(client)
        assert response.status_code == 400
        assert "_auth_user_id" not in client.session
        return response, Expected(None, "", "", "accounts.user", "", AuditOutcome.FAILURE, object_repr="登录名 county_a")

    return act


def lockout_on_fifth_failure(p: Personas, client: Client, login: Callable) -> Act:
    for _ in range(4):
        assert _fail_login(client).status_code == 400

    def act():
        response = _fail_login(client)
        assert response.status_code == 429
        assert "已锁定" in response.content.decode()
        return response, Expected(None, "", "", "accounts.user", "", AuditOutcome.DENIED)

    return act


def unlock_by_security_admin(p: Personas, client: Client, login: Callable) -> Act:
    for _ in range(5):
        _fail_login(Client())
    attempt = AccessAttempt.objects.get()
    login(client, p.secadmin)

    def act():
        response = client.post(f"/console/security/unlock/{attempt.pk}/")
        assert response.status_code == 302
        assert not AccessAttempt.objects.exists()
        return response, Expected(p.secadmin, "secadmin", SECADMIN_ROLE, "axes.accessattempt", str(attempt.pk))

    return act


def grant_role_in_console(p: Personas, client: Client, login: Callable) -> Act:
    login(client, p.sysadmin)
    county = _org("KX370902")

    def act():
        response = client.post(f"/console/accounts/users/{p.county_a.uid}/grant/", {"organisation": str(county.uid), "role": Role.REVIEWER})
        assert response.status_code == 302
        membership = Membership.objects.get(user=p.county_a, organisation=county, role=Role.REVIEWER, is_active=True)
        return response, Expected(
            p.sysadmin, "sysadmin", SYSADMIN_ROLE, "accounts.membership", str(membership.uid), object_repr="county_a reviewer@KX370902"
        )

    return act


def revoke_role_in_console(p: Personas, client: Client, login: Callable) -> Act:
    membership = p.reviewer.memberships.get(role=Role.REVIEWER)
    login(client, p.sysadmin)

    def act():
        response = client.post(f"/console/accounts/memberships/{membership.uid}/revoke/")
        assert response.status_code == 302
        membership.refresh_from_db()
        assert membership.is_active is False
        return response, Expected(p.sysadmin, "sysadmin", SYSADMIN_ROLE, "accounts.membership", str(membership.uid))

    return act


def switch_role(p: Personas, client: Client, login: Callable) -> Act:
    reviewing = membership_grant(user=p.county_a, organisation=_org("KX370902"), role=Role.REVIEWER)
    login(client, p.county_a)

    def act():
        response = client.post("/accounts/switch-role/", {"membership": str(reviewing.uid)})
        assert response.status_code == 302
        assert client.session[SESSION_KEY] == str(reviewing.uid)
        # The record names the role the user acted in when switching; its changes name the new one.
        return response, Expected(p.county_a, "county_a", COUNTY_A_ROLE, "accounts.membership", str(reviewing.uid))

    return act


def export_organisations(p: Personas, client: Client, login: Callable) -> Act:
    login(client, p.city_staff)

    def act():
        response = client.get("/console/organisations/export/")
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
        assert b"".join(response.streaming_content)[:2] == b"PK"  # a zip: an .xlsx workbook (reading it closes the file)
        return response, Expected(p.city_staff, "city_staff", CITY_ROLE, "organisations.organisation", "", object_repr="导出《组织机构》")

    return act


def reveal_phone(p: Personas, client: Client, login: Callable) -> Act:
    login(client, p.sysadmin)

    def act():
        response = client.post(f"/console/accounts/users/{p.citizen.uid}/reveal-phone/")
        assert response.status_code == 200
        assert "13912345678" in response.content.decode()
        return response, Expected(p.sysadmin, "sysadmin", SYSADMIN_ROLE, "accounts.user", str(p.citizen.uid))

    return act


def change_password(p: Personas, client: Client, login: Callable) -> Act:
    login(client, p.county_a)

    def act():
        response = client.post(
            "/accounts/password/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        p.county_a.refresh_from_db()
        assert p.county_a.check_password(NEW_PASSWORD)
        return response, Expected(p.county_a, "county_a", COUNTY_A_ROLE, "accounts.user", str(p.county_a.uid))

    return act


def wrong_second_factor(p: Personas, client: Client, login: Callable) -> Act:
    login(client, p.county_a, verified=False)

    def act():
        response = client.post("/accounts/otp/", {"token": "000000"})
        assert response.status_code == 400
        return response, Expected(p.county_a, "county_a", COUNTY_A_ROLE, "accounts.user", str(p.county_a.uid), AuditOutcome.FAILURE)

    return act


def enrol_second_factor(p: Personas, client: Client, login: Callable) -> Act:
    login(client, p.county_a, verified=False)
    assert client.get("/accounts/otp/").status_code == 200  # shows the QR code of a new, unconfirmed device
    device = TOTPDevice.objects.get(user=p.county_a, confirmed=False)

    def act():
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        response = client.post("/accounts/otp/", {"token": f"{totp.token():06d}"})
        assert response.status_code == 302
        device.refresh_from_db()
        assert device.confirmed
        return response, Expected(p.county_a, "county_a", COUNTY_A_ROLE, "accounts.user", str(p.county_a.uid))

    return act


def issue_token_in_console(p: Personas, client: Client, login: Callable) -> Act:
    membership = p.city_staff.memberships.get()
    login(client, p.sysadmin)

    def act():
        response = client.post("/console/accounts/tokens/", {"membership": str(membership.uid), "name": "大屏数据接口", "days": "30"})
        assert response.status_code == 200
        token = membership.tokens.get()
        assert token.prefix in response.content.decode()  # the key is shown once
        return response, Expected(p.sysadmin, "sysadmin", SYSADMIN_ROLE, "accounts.apitoken", str(token.uid))

    return act


def revoke_token_in_console(p: Personas, client: Client, login: Callable) -> Act:
    token, _ = token_issue(membership=p.city_staff.memberships.get(), name="大屏数据接口")
    login(client, p.sysadmin)

    def act():
        response = client.post(f"/console/accounts/tokens/{token.uid}/revoke/")
        assert response.status_code == 302
        token.refresh_from_db()
        assert token.revoked_at is not None
        return response, Expected(p.sysadmin, "sysadmin", SYSADMIN_ROLE, "accounts.apitoken", str(token.uid))

    return act


CASES: list[tuple[str, Arrange]] = [
    (AuditAction.CREATE, create_organisation),
    (AuditAction.UPDATE, update_organisation),
    (AuditAction.DELETE, delete_news),
    (AuditAction.LOGIN, login_right_password),
    (AuditAction.LOGOUT, logout),
    (AuditAction.LOGIN_FAILED, login_wrong_password),
    (AuditAction.LOCKOUT, lockout_on_fifth_failure),
    (AuditAction.UNLOCK, unlock_by_security_admin),
    (AuditAction.ROLE_GRANT, grant_role_in_console),
    (AuditAction.ROLE_REVOKE, revoke_role_in_console),
    (AuditAction.ROLE_SWITCH, switch_role),
    (AuditAction.EXPORT, export_organisations),
    (AuditAction.VIEW_PERSONAL, reveal_phone),
    (AuditAction.PASSWORD_CHANGE, change_password),
    (AuditAction.OTP_FAILED, wrong_second_factor),
    (AuditAction.OTP_DEVICE, enrol_second_factor),
    (AuditAction.TOKEN_ISSUE, issue_token_in_console),
    (AuditAction.TOKEN_REVOKE, revoke_token_in_console),
]


@pytest.mark.parametrize(("action", "arrange"), CASES, ids=[f"{a}-{f.__name__}" for a, f in CASES])
def test_each_event_leaves_exactly_one_record_saying_who_what_when_where(action, arrange, personas, client, login, watch_trail):
    # Given
    act = arrange(personas, client, login)
    watch = watch_trail()

    # When
    response, expected = act()

    # Then
    event = watch.one(action)
    assert event.actor_id == (expected.actor.pk if expected.actor else None)
    assert event.actor_label == expected.actor_label
    assert event.actor_role == expected.actor_role
    assert (event.object_type, event.object_id) == (expected.object_type, expected.object_id)
    assert expected.object_repr in event.object_repr
    assert event.outcome == expected.outcome
    assert watch.started_at <= event.at <= timezone.now()
    assert event.ip == expected.ip
    if response is not None:
        assert event.request_id == response["X-Request-ID"]
        assert event.source == "web"
    else:
        assert event.request_id == expected.request_id


def test_every_action_has_a_case_but_bulk_and_import():
    # bulk writes: test_audit_transactions; imports: no import writes to the trail yet
    covered = {action for action, _ in CASES}

    assert set(AuditAction.values) - covered == {AuditAction.IMPORT, AuditAction.BULK}


def test_a_fifth_failure_is_recorded_as_the_lockout_alone(personas, client, watch_trail):
    # Given four failures
    for _ in range(4):
        _fail_login(client)
    watch = watch_trail()

    # When
    _fail_login(client)

    # Then the lockout record stands for the fifth attempt
    assert [e.action for e in watch.events()] == [AuditAction.LOCKOUT]


def test_the_lockout_record_names_the_locked_login(personas, client, watch_trail):
    # Given four failures for county_a
    for _ in range(4):
        _fail_login(client, "county_a")
    watch = watch_trail()

    # When the fifth locks the account
    _fail_login(client, "county_a")

    # Then an auditor reading the record can tell which account was locked, as for the failures before it
    assert watch.one(AuditAction.LOCKOUT).object_repr == "登录名 county_a"


def test_a_cascade_leaves_one_delete_record_per_deleted_row(personas, watch_trail):
    # Given a staff account holding two roles
    user = StaffFactory(username="leaver")
    first = membership_grant(user=user, organisation=_org("KX370902"), role=Role.COUNTY_STAFF)
    second = membership_grant(user=user, organisation=_org("KX370902"), role=Role.REVIEWER)
    watch = watch_trail()

    # When the account is deleted, its memberships going with it (on_delete=CASCADE)
    user.delete()

    # Then
    deleted = {(e.object_type, e.object_id) for e in watch.events(AuditAction.DELETE)}
    assert deleted == {("accounts.user", str(user.uid)), ("accounts.membership", str(first.uid)), ("accounts.membership", str(second.uid))}
    assert len(watch.events(AuditAction.DELETE)) == 3


def test_a_queryset_delete_is_audited_row_by_row(personas, watch_trail):
    # Given two news items
    actor = personas.actor(personas.city_staff)
    items = [news_create(actor=actor, title=f"第{i}期科普讲堂", body="内容", category="work") for i in (1, 2)]
    watch = watch_trail()

    # When they are deleted in one queryset call
    with system_scope():
        News.objects.filter(uid__in=[n.uid for n in items]).delete()

    # Then
    assert sorted(e.object_id for e in watch.events(AuditAction.DELETE)) == sorted(str(n.uid) for n in items)


def test_the_request_id_from_the_proxy_is_kept_and_echoed(personas, client, login, watch_trail):
    login(client, personas.city_staff)
    watch = watch_trail()

    response = client.get("/console/organisations/export/", headers={"X-Request-ID": "nginx-7f3a9c21"})
    b"".join(response.streaming_content)  # read to the end, which closes the response

    assert response["X-Request-ID"] == "nginx-7f3a9c21"
    assert watch.one(AuditAction.EXPORT).request_id == "nginx-7f3a9c21"


def test_a_malformed_request_id_is_replaced(personas, client, login, watch_trail):
    login(client, personas.city_staff)
    watch = watch_trail()

    response = client.get("/console/organisations/export/", headers={"X-Request-ID": "x y<script>"})
    b"".join(response.streaming_content)  # read to the end, which closes the response

    event = watch.one(AuditAction.EXPORT)
    assert event.request_id == response["X-Request-ID"]
    assert event.request_id != "x y<script>"
    assert len(event.request_id) == 32


def test_a_forged_forwarded_for_header_does_not_change_the_recorded_address(personas, client, watch_trail):
    # Without a configured proxy (XINGHUO_PROXY_COUNT=0) X-Forwarded-For is the client's own word
    watch = watch_trail()

    client.post("/accounts/login/", {"username": "county_a", "password": PASSWORD}, headers={"X-Forwarded-For": "8.8.8.8"})

    assert watch.one(AuditAction.LOGIN).ip == "127.0.0.1"


def test_records_of_one_request_share_its_request_id(personas, client, login, watch_trail):
    # Granting a role saves the membership (create) and records the grant: both belong to the one request
    login(client, personas.sysadmin)
    county = _org("KX370902")
    watch = watch_trail()

    response = client.post(
        f"/console/accounts/users/{personas.county_a.uid}/grant/", {"organisation": str(county.uid), "role": Role.REVIEWER}
    )

    events = watch.events()
    assert [e.action for e in events] == [AuditAction.CREATE, AuditAction.ROLE_GRANT]
    assert {e.request_id for e in events} == {response["X-Request-ID"]}
