"""Organisations: the tree, its scope for each role, the console pages and the API."""

import io

import openpyxl
import pytest
from django_scopes import scope

from xinghuo.core.errors import DomainError
from xinghuo.organisations import credit_code
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.organisations.selectors import OrganisationFilters, organisation_list
from xinghuo.organisations.services import organisation_create
from xinghuo.regions.models import Region

pytestmark = pytest.mark.django_db


def names_seen_by(actor, **filters):
    with scope(**actor.scope_kwargs()):
        return {o.name for o in organisation_list(filters=OrganisationFilters(**filters))}


def test_base_data_has_the_departments_direct_units_and_every_county_association():
    names = set(Organisation.unscoped.values_list("name", flat=True))

    assert {"办公室", "科普部", "学会部", "人才联络部", "机关党委", "市科技创新服务中心", "市科技馆"} <= names
    counties = Organisation.unscoped.filter(kind=OrganisationKind.COUNTY_ASSOCIATION)
    assert counties.count() == 9  # six counties and three functional zones
    assert all(o.parent.code == "KX370900" for o in counties)


def test_each_role_sees_its_own_subtree(personas):
    city = names_seen_by(personas.actor(personas.city_staff))
    county_a = names_seen_by(personas.actor(personas.county_a))
    organiser = names_seen_by(personas.actor(personas.organiser))
    reviewer = names_seen_by(personas.actor(personas.reviewer))

    assert {personas.org_a.name, personas.org_b.name, "科普部"} <= city
    assert personas.org_a.name in county_a
    assert personas.org_b.name not in county_a
    assert "科普部" not in county_a
    assert organiser == {"泰安市医学会"}
    assert reviewer == set()


def test_filters_by_kind_region_and_words(personas):
    actor = personas.actor(personas.city_staff)

    assert names_seen_by(actor, kind="school") == {personas.org_a.name, personas.org_b.name}
    assert names_seen_by(actor, region="370902", kind="school") == {personas.org_a.name}
    assert names_seen_by(actor, q="粥店") == {personas.org_b.name}
    with pytest.raises(DomainError, match="未找到区划代码"):
        names_seen_by(actor, region="123")


def test_credit_codes_are_checked():
    assert credit_code.is_valid("91370900MA3C5XW37T") is credit_code.is_valid("91370900MA3C5XW37T")
    good = "91370900MA3C5XW3" + "7"
    good = good + credit_code.check_char(good)
    assert credit_code.is_valid(good)
    assert not credit_code.is_valid(good[:-1] + ("0" if good[-1] != "0" else "1"))


def test_bad_input_saves_nothing_and_says_why_in_chinese(personas):
    county_a = Organisation.unscoped.get(code="KX370902")
    before = Organisation.unscoped.count()

    with pytest.raises(DomainError, match="统一社会信用代码不正确"):
        organisation_create(name="某公司", kind="company", region=county_a.region, parent=county_a, credit_code="123")
    with pytest.raises(DomainError, match="应在上级机构的区划之内"):
        organisation_create(name="某学校", kind="school", region=Region.objects.get(code="370911001"), parent=county_a)
    with pytest.raises(DomainError, match="已有同名机构"):
        organisation_create(name=personas.org_a.name, kind="school", region=personas.org_a.region, parent=county_a)

    assert Organisation.unscoped.count() == before


def test_the_list_page_filters_and_paginates(client, login, personas):
    login(client, personas.city_staff)

    page = client.get("/console/organisations/", {"kind": "school"})

    assert page.status_code == 200
    text = page.content.decode()
    assert personas.org_a.name in text
    assert personas.org_b.name in text
    assert "机关党委" not in text
    assert "共 2 条" in text


def test_the_export_is_an_excel_of_the_filtered_list_with_phones_masked(client, login, personas):
    from xinghuo.organisations.services import organisation_update

    organisation_update(organisation=personas.org_a, contact_phone="13812345678")
    login(client, personas.county_a)

    response = client.get("/console/organisations/export/", {"kind": "school"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("机构代码", "名称")
    assert [r[1] for r in rows[1:]] == [personas.org_a.name]
    assert "138****5678" in rows[1]
    assert "13812345678" not in str(rows)


def test_county_staff_add_a_school_in_their_county(client, login, personas):
    login(client, personas.county_a)
    county_a = Organisation.unscoped.get(code="KX370902")

    response = client.post("/console/organisations/new/", {
        "name": "泰前街道实验小学", "kind": "school", "parent": str(county_a.uid), "region": "370902003",
        "contact_phone": "0538-8221234",
    })  # fmt: skip

    assert response.status_code == 302
    school = Organisation.unscoped.get(name="泰前街道实验小学")
    assert school.parent == county_a
    assert school.path.startswith(county_a.path)


def test_county_staff_cannot_file_under_another_county_or_create_a_department(client, login, personas):
    login(client, personas.county_a)
    county_b = Organisation.unscoped.get(code="KX370911")
    before = Organisation.unscoped.count()

    wrong_parent = client.post(
        "/console/organisations/new/", {"name": "X", "kind": "school", "parent": str(county_b.uid), "region": "370902003"}
    )
    wrong_kind = client.post(
        "/console/organisations/new/", {"name": "X", "kind": "department", "parent": str(county_b.uid), "region": "370902003"}
    )
    empty = client.post("/console/organisations/new/", {})

    assert wrong_parent.status_code == 400
    assert "请选择您可管理范围内的上级机构" in wrong_parent.content.decode()
    assert wrong_kind.status_code == 400
    assert empty.status_code == 400
    assert "请填写机构名称" in empty.content.decode()
    assert Organisation.unscoped.count() == before


def test_county_staff_cannot_edit_the_city_association_or_their_own(client, login, personas):
    login(client, personas.county_a)
    own = Organisation.unscoped.get(code="KX370902")

    assert client.get(f"/console/organisations/{own.uid}/edit/").status_code == 404
    assert client.get(f"/console/organisations/{personas.org_a.uid}/edit/").status_code == 200


def test_the_api_lists_only_the_callers_scope(client, login, personas):
    login(client, personas.county_a)

    body = client.get("/api/v1/organisations", {"kind": "school"}).json()
    detail = client.get(f"/api/v1/organisations/{personas.org_a.uid}")
    other = client.get(f"/api/v1/organisations/{personas.org_b.uid}")

    assert body == {"count": 1, "items": [pytest.approx(body["items"][0])]}
    assert body["items"][0]["name"] == personas.org_a.name
    assert body["items"][0]["region_code"] == "370902001"
    assert detail.status_code == 200
    assert other.status_code == 404
    assert other.json() == {"code": "not_found", "detail": "您要找的记录不存在或无权查看。"}


def test_citizens_and_strangers_get_no_organisations(client, login, personas):
    assert client.get("/api/v1/organisations").status_code == 401
    login(client, personas.citizen)
    assert client.get("/api/v1/organisations").status_code == 404
    assert client.get("/console/organisations/").status_code == 404


def test_the_list_runs_a_fixed_number_of_queries(client, login, personas, django_assert_max_num_queries):
    county_a = Organisation.unscoped.get(code="KX370902")
    for i in range(15):
        organisation_create(name=f"测试学校{i}", kind="school", region=Region.objects.get(code="370902001"), parent=county_a)
    login(client, personas.county_a)

    with django_assert_max_num_queries(12):
        assert client.get("/console/organisations/").status_code == 200
