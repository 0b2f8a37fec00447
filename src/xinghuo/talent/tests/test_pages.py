"""The registry's console pages through the test client: county staff enter a person, give and end roles, edit
without ever seeing the stored phone or ID number in the form, reveal one value on purpose (audited); county A
never reaches county B's people; the list filters, and its query count does not grow with the page."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinghuo.core.models import AuditAction, AuditEvent
from xinghuo.talent.models import Person, PersonRole, RoleKind, RoleStatus
from xinghuo.talent.tests.conftest import DAIMIAO, ID_A, ID_B, PHONE_A, png

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    data = {
        "name": "赵卫东", "id_number": ID_A, "phone": PHONE_A, "region": DAIMIAO, "title": "主任医师", "expertise": ["health"],
        "roles": ["expert", "volunteer"], "consent": "on",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_a_county_enters_a_person_with_roles_and_sees_them_masked(client, login, personas):
    login(client, personas.county_a)
    assert client.get("/console/talent/new/").status_code == 200

    response = client.post("/console/talent/new/", _form())

    person = Person.unscoped.get()
    assert response.status_code == 302
    assert response.url == f"/console/talent/{person.uid}/"
    page = client.get(response.url).content.decode()
    assert "赵卫东" in page
    assert "137****0001" in page
    assert PHONE_A not in page
    assert ID_A not in page
    assert "名家库专家" in page
    assert "科技志愿者" in page
    assert set(PersonRole.unscoped.filter(person=person).values_list("kind", flat=True)) == {"expert", "volunteer"}


def test_a_bad_id_number_is_refused_beside_its_field_and_nothing_is_saved(client, login, personas):
    login(client, personas.county_a)

    response = client.post("/console/talent/new/", _form(id_number=ID_A[:-1] + ("1" if ID_A[-1] != "1" else "2")))

    assert response.status_code == 400
    assert "身份证号校验位不正确" in response.content.decode()
    assert not Person.unscoped.exists()


def test_without_consent_nothing_is_saved(client, login, personas):
    login(client, personas.county_a)

    response = client.post("/console/talent/new/", _form(consent=""))

    assert response.status_code == 400
    assert "个人信息告知同意书" in response.content.decode()
    assert not Person.unscoped.exists()


def test_the_edit_form_never_shows_the_stored_values_and_an_empty_box_keeps_them(client, login, personas, cast):
    person = cast.enter()
    login(client, personas.county_a)

    page = client.get(f"/console/talent/{person.uid}/edit/").content.decode()
    assert PHONE_A not in page
    assert ID_A not in page
    assert "137****0001" in page  # the masked hint
    response = client.post(f"/console/talent/{person.uid}/edit/", _form(id_number="", phone="", title="副主任医师", photo=png()))

    assert response.status_code == 302
    person = Person.unscoped.get(pk=person.pk)
    assert (person.phone, person.id_number, person.title) == (PHONE_A, ID_A, "副主任医师")
    photo = client.get(f"/console/talent/{person.uid}/photo/")
    assert photo["Content-Type"] == "image/jpeg"
    photo.close()


def test_roles_are_added_and_ended_on_the_detail_page(client, login, personas, cast):
    person = cast.enter()
    login(client, personas.county_a)

    client.post(f"/console/talent/{person.uid}/roles/", {"kind": "promoter", "since": "2026-01-01"})
    client.post(f"/console/talent/{person.uid}/roles/promoter/remove/")

    role = PersonRole.unscoped.get(person=person, kind=RoleKind.PROMOTER)
    assert role.status == RoleStatus.INACTIVE
    assert str(role.since) == "2026-01-01"
    assert "已停用" in client.get(f"/console/talent/{person.uid}/").content.decode()


def test_revealing_a_value_is_a_post_for_permitted_staff_and_is_audited(client, login, personas, cast):
    person = cast.enter()
    login(client, personas.county_a)
    url = f"/console/talent/{person.uid}/reveal/id_number/"

    assert client.get(url).status_code == 405
    response = client.post(url)

    assert response.status_code == 200
    assert ID_A in response.content.decode()
    seen = AuditEvent.objects.filter(action=AuditAction.VIEW_PERSONAL, object_id=str(person.uid)).get()
    assert seen.changes["id_number"] == [None, f"{ID_A[:4]}**********{ID_A[-4:]}"]
    assert client.post(f"/console/talent/{person.uid}/reveal/name/").status_code == 404  # not a revealable field


def test_county_a_never_reaches_county_bs_person(client, login, personas, cast):
    other = cast.enter_b()
    login(client, personas.county_a)

    for url in ("", "edit/", "photo/"):
        assert client.get(f"/console/talent/{other.uid}/{url}").status_code == 404
    for url in ("reveal/phone/", "roles/", "roles/volunteer/remove/", "edit/"):
        assert client.post(f"/console/talent/{other.uid}/{url}", {"kind": "expert"}).status_code == 404
    assert "李秀英" not in client.get("/console/talent/").content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_PERSONAL).exists()


def test_the_city_sees_both_counties_and_others_do_not_reach_the_registry(client, login, personas, cast):
    cast.enter()
    cast.enter_b()

    login(client, personas.city_staff)
    assert client.get("/console/talent/").context["page_obj"].paginator.count == 2
    for persona in (personas.organiser, personas.reviewer, personas.citizen):
        login(client, persona)
        assert client.get("/console/talent/").status_code in (302, 404)


def test_the_list_filters_by_role_county_field_and_name_or_whole_id_number(client, login, personas, cast):
    cast.enter(roles=[RoleKind.EXPERT], fields=["health"])
    cast.enter_b(roles=[RoleKind.VOLUNTEER], fields=["agriculture"])
    login(client, personas.city_staff)

    def names(**query) -> list[str]:
        return [p.name for p in client.get("/console/talent/", query).context["page_obj"]]

    assert names(role="expert") == ["王建国"]
    assert names(county="370911") == ["李秀英"]
    assert names(field="agriculture") == ["李秀英"]
    assert names(q="秀") == ["李秀英"]
    assert names(q="建国") == ["王建国"]


def test_a_person_is_found_by_a_posted_id_number_within_the_actors_scope_only(client, login, personas, cast):
    mine = cast.enter()
    cast.enter_b()
    login(client, personas.county_a)

    found = client.post("/console/talent/find/", {"id_number": ID_A.lower()})
    not_mine = client.post("/console/talent/find/", {"id_number": ID_B}, follow=True)

    assert found.url == f"/console/talent/{mine.uid}/"
    assert "没有该身份证号的人员" in not_mine.content.decode()


def test_the_list_costs_the_same_queries_for_more_people(client, login, personas, cast):
    from xinghuo.core import id_numbers
    from xinghuo.regions.models import Region

    def enter(first: int, n: int) -> None:
        for i in range(first, first + n):
            cast.enter(name=f"志愿者{i}", phone="", id_number=id_numbers.make("370902", id_numbers.birth_date(ID_A), 300 + i),
                       region=Region.objects.get(code=DAIMIAO), roles=[RoleKind.VOLUNTEER, RoleKind.PROMOTER])  # fmt: skip

    login(client, personas.county_a)
    enter(0, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/console/talent/").status_code == 200
    enter(2, 8)
    with CaptureQueriesContext(connection) as more:
        assert client.get("/console/talent/").status_code == 200

    assert len(more) == len(few)


def test_the_export_is_masked_unless_a_permitted_user_asks_and_that_is_audited(client, login, personas, cast):
    cast.enter(roles=[RoleKind.EXPERT])
    login(client, personas.county_a)

    masked = openpyxl.load_workbook(io.BytesIO(b"".join(client.get("/console/talent/export/").streaming_content))).active
    row = [c.value for c in masked[2]]
    assert "137****0001" in row
    assert PHONE_A not in row
    assert ID_A not in row
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_PERSONAL).exists()

    clear = openpyxl.load_workbook(io.BytesIO(b"".join(client.get("/console/talent/export/", {"unmasked": "1"}).streaming_content))).active
    row = [c.value for c in clear[2]]
    assert PHONE_A in row
    assert ID_A in row
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_PERSONAL, object_type="talent.person").count() == 1
