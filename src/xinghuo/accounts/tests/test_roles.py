"""Roles and the three separated administrators (三权分立): each admin reaches only their own pages, none
reaches business pages, county staff reach no admin page; nobody grants themselves an admin role and no account
holds two admin roles; switching the acting role changes the console and is audited."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from xinghuo.accounts import services
from xinghuo.accounts.errors import AccountError
from xinghuo.accounts.models import Membership
from xinghuo.accounts.roles import Role
from xinghuo.core.errors import DomainError
from xinghuo.core.models import AuditAction, AuditEvent
from xinghuo.organisations.models import Organisation

pytestmark = pytest.mark.django_db

NOT_FOUND = "您要找的页面或记录不存在，或您无权查看"

PAGES = {
    "sysadmin": ["/console/accounts/users/", "/sysadmin/"],
    "secadmin": ["/console/security/"],
    "auditadmin": ["/console/audit/"],
    "county_a": ["/console/organisations/new/", "/console/news/"],  # business pages
}


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditadmin", "county_a"])
def test_each_role_reaches_its_own_pages_and_gets_404_on_the_others(client, personas, login, persona):
    login(client, getattr(personas, persona))

    answers = {path: client.get(path).status_code for paths in PAGES.values() for path in paths}

    expected = {path: 200 if owner == persona else 404 for owner, paths in PAGES.items() for path in paths}
    assert answers == expected


def test_a_forbidden_page_looks_like_a_missing_one(client, personas, login):
    login(client, personas.secadmin)

    assertContains(client.get("/console/no-such-page/"), NOT_FOUND, status_code=404)
    for path in (*PAGES["sysadmin"], *PAGES["auditadmin"], *PAGES["county_a"]):
        assertContains(client.get(path), NOT_FOUND, status_code=404)


@pytest.mark.parametrize(
    ("persona", "own_menu", "foreign_menus"),
    [
        ("sysadmin", ["账号与角色", "Django 管理"], ["安全策略与锁定", "审计日志", "科协动态"]),
        ("secadmin", ["安全策略与锁定"], ["账号与角色", "审计日志", "科协动态", "组织机构"]),
        ("auditadmin", ["审计日志"], ["账号与角色", "安全策略与锁定", "科协动态", "组织机构"]),
        ("county_a", ["组织机构", "科协动态"], ["账号与角色", "安全策略与锁定", "审计日志", "Django 管理"]),
    ],
)
def test_the_console_menu_shows_only_the_roles_own_pages(client, personas, login, persona, own_menu, foreign_menus):
    login(client, getattr(personas, persona))

    response = client.get("/console/")

    for title in own_menu:
        assertContains(response, f"{title}</a>")
    for title in foreign_menus:
        assertNotContains(response, f"{title}</a>")


# --- granting roles ----------------------------------------------------------------------------------


def office() -> Organisation:
    return Organisation.unscoped.get(code="KX370900-BGS")


def city() -> Organisation:
    return Organisation.unscoped.get(code="KX370900")


SELF_GRANT = "不能给自己授予角色，请由另一位系统管理员操作"


def test_granting_an_admin_role_to_oneself_is_refused(personas):
    with pytest.raises(DomainError) as exc:
        services.membership_grant(user=personas.sysadmin, organisation=city(), role=Role.SYSTEM_ADMIN, granted_by=personas.sysadmin)

    assert exc.value.code == AccountError.ADMIN_SELF_GRANT
    assert exc.value.message == SELF_GRANT
    assert not Membership.objects.filter(user=personas.sysadmin, organisation=city()).exists()


def test_the_console_refuses_a_system_admin_granting_themselves_an_admin_role(client, personas, login):
    login(client, personas.sysadmin)

    response = client.post(
        f"/console/accounts/users/{personas.sysadmin.uid}/grant/",
        {"organisation": str(city().uid), "role": Role.SYSTEM_ADMIN},
        follow=True,
    )

    assertContains(response, SELF_GRANT)
    assert not Membership.objects.filter(user=personas.sysadmin, organisation=city()).exists()


def test_a_system_admin_cannot_grant_themselves_a_business_role(client, personas, login):
    """Else they could switch to it and work on business data, which the separation of the admins forbids."""
    login(client, personas.sysadmin)

    response = client.post(
        f"/console/accounts/users/{personas.sysadmin.uid}/grant/",
        {"organisation": str(city().uid), "role": Role.CITY_STAFF},
        follow=True,
    )

    assertContains(response, SELF_GRANT)
    assert not Membership.objects.filter(user=personas.sysadmin, role=Role.CITY_STAFF).exists()
    assertContains(client.get("/console/news/"), NOT_FOUND, status_code=404)


def test_an_admin_account_cannot_also_take_a_business_role(personas):
    with pytest.raises(DomainError) as exc:
        services.membership_grant(user=personas.secadmin, organisation=personas.society, role=Role.REVIEWER, granted_by=personas.sysadmin)

    assert exc.value.code == AccountError.ROLE_NOT_ALLOWED
    assert exc.value.message == "三权分立：管理员账号不能担任业务角色，请为其另建账号"
    assert not Membership.objects.filter(user=personas.secadmin, role=Role.REVIEWER).exists()


def test_a_business_account_cannot_become_an_admin(personas):
    with pytest.raises(DomainError) as exc:
        services.membership_grant(user=personas.city_staff, organisation=office(), role=Role.AUDIT_ADMIN, granted_by=personas.sysadmin)

    assert exc.value.code == AccountError.ROLE_NOT_ALLOWED
    assert exc.value.message == "三权分立：管理员账号不能同时担任业务角色，请为其另建账号"
    assert not Membership.objects.filter(user=personas.city_staff, role=Role.AUDIT_ADMIN).exists()


@pytest.mark.parametrize(
    ("persona", "second_role"),
    [
        ("sysadmin", Role.SECURITY_ADMIN),
        ("sysadmin", Role.AUDIT_ADMIN),
        ("secadmin", Role.SYSTEM_ADMIN),
        ("secadmin", Role.AUDIT_ADMIN),
        ("auditadmin", Role.SYSTEM_ADMIN),
        ("auditadmin", Role.SECURITY_ADMIN),
    ],
)
def test_one_account_cannot_hold_two_different_admin_roles(personas, persona, second_role):
    user = getattr(personas, persona)
    granter = personas.secadmin if persona == "sysadmin" else personas.sysadmin

    with pytest.raises(DomainError) as exc:
        services.membership_grant(user=user, organisation=office(), role=second_role, granted_by=granter)

    assert exc.value.code == AccountError.ROLE_NOT_ALLOWED
    assert exc.value.message == "三权分立：同一账号只能担任一种管理员角色"
    assert not Membership.objects.filter(user=user, role=second_role).exists()


def test_a_revoked_admin_role_does_not_block_another(personas):
    # given the audit admin's role was revoked
    services.membership_revoke(membership=personas.auditadmin.memberships.get(role=Role.AUDIT_ADMIN))

    # then the account may become security admin instead
    membership = services.membership_grant(user=personas.auditadmin, organisation=office(), role=Role.SECURITY_ADMIN)

    assert membership.is_active


def test_the_console_shows_the_separation_error_when_granting_a_second_admin_role(client, personas, login):
    login(client, personas.sysadmin)

    response = client.post(
        f"/console/accounts/users/{personas.secadmin.uid}/grant/",
        {"organisation": str(office().uid), "role": Role.AUDIT_ADMIN},
        follow=True,
    )

    assertContains(response, "三权分立：同一账号只能担任一种管理员角色")
    assert not Membership.objects.filter(user=personas.secadmin, role=Role.AUDIT_ADMIN).exists()


# --- switching role ----------------------------------------------------------------------------------


@pytest.fixture
def reviewer_too(personas):
    """county_a is also an expert reviewer for the medical society."""
    return services.membership_grant(user=personas.county_a, organisation=personas.society, role=Role.REVIEWER)


def test_a_user_with_two_roles_can_choose_between_them(client, personas, login, reviewer_too):
    login(client, personas.county_a)

    response = client.get("/console/")

    assertContains(response, 'name="membership"')
    assertContains(response, "评审专家 · 泰安市医学会")
    assertContains(response, "当前身份：县市区/功能区科协工作人员@泰山区科学技术协会")


def test_switching_role_changes_what_the_console_shows_and_is_audited(client, personas, login, reviewer_too):
    # given county_a acting as county staff, who may open the news pages
    login(client, personas.county_a)
    assert client.get("/console/news/").status_code == 200

    # when they switch to their reviewer role
    response = client.post("/accounts/switch-role/", {"membership": str(reviewer_too.uid)}, follow=True)

    # then the console says so, the news menu and pages are gone
    assertRedirects(response, "/console/")
    assertContains(response, "已切换为：评审专家（泰安市医学会）")
    assertContains(response, "当前身份：评审专家@泰安市医学会")
    assertNotContains(response, "科协动态</a>")
    assertContains(client.get("/console/news/"), NOT_FOUND, status_code=404)
    # and the switch is in the audit trail
    event = AuditEvent.objects.get(action=AuditAction.ROLE_SWITCH)
    assert event.actor_id == personas.county_a.pk
    assert event.changes == {"role": [None, f"reviewer@{personas.society.code}"]}


def test_switching_back_restores_the_first_role(client, personas, login, reviewer_too):
    login(client, personas.county_a, membership=reviewer_too)
    county = personas.county_a.memberships.get(role=Role.COUNTY_STAFF)

    client.post("/accounts/switch-role/", {"membership": str(county.uid)})

    assert client.get("/console/news/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.ROLE_SWITCH).count() == 1


def test_switching_to_someone_elses_role_is_refused(client, personas, login, reviewer_too):
    login(client, personas.county_a)
    foreign = personas.secadmin.memberships.get()

    response = client.post("/accounts/switch-role/", {"membership": str(foreign.uid)}, follow=True)

    assertContains(response, "该身份不存在或已失效")
    assertContains(response, "当前身份：县市区/功能区科协工作人员@泰山区科学技术协会")
    assertContains(client.get("/console/security/"), NOT_FOUND, status_code=404)
    assert not AuditEvent.objects.filter(action=AuditAction.ROLE_SWITCH).exists()


def test_switching_to_a_revoked_role_is_refused(client, personas, login, reviewer_too):
    login(client, personas.county_a)
    services.membership_revoke(membership=reviewer_too)

    response = client.post("/accounts/switch-role/", {"membership": str(reviewer_too.uid)}, follow=True)

    assertContains(response, "该身份不存在或已失效")
    assert client.get("/console/news/").status_code == 200


def test_switching_role_is_post_only(client, personas, login, reviewer_too):
    login(client, personas.county_a)

    response = client.get("/accounts/switch-role/", {"membership": str(reviewer_too.uid)})

    assert response.status_code == 405
    assert client.get("/console/news/").status_code == 200


def test_a_citizen_is_no_member_of_any_organisation_and_costs_no_query_to_find_so(personas, django_assert_num_queries):
    from tests.factories import CitizenFactory

    from xinghuo.accounts.actor import actor_for
    from xinghuo.accounts.services import membership_grant

    citizen = CitizenFactory()
    with pytest.raises(DomainError) as refused:  # roles are for staff accounts only
        membership_grant(user=citizen, organisation=Organisation.unscoped.get(code="KX370902"), role=Role.COUNTY_STAFF)
    assert "只能授予工作人员账号" in refused.value.message

    with django_assert_num_queries(0):
        actor = actor_for(citizen)
    assert actor.membership is None
    assert actor.memberships == ()
