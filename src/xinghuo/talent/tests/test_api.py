"""GET /api/v1/talent/people: the caller's scope, masked, filtered; nobody but staff gets an answer."""

from __future__ import annotations

import pytest

from xinghuo.accounts.models import Membership
from xinghuo.accounts.services import token_issue
from xinghuo.talent.models import RoleKind
from xinghuo.talent.tests.conftest import ID_A, PHONE_A

pytestmark = pytest.mark.django_db

URL = "/api/v1/talent/people"


def test_county_staff_list_their_own_people_masked(client, login, personas, cast):
    cast.enter(roles=[RoleKind.EXPERT])
    cast.enter_b()
    login(client, personas.county_a)

    body = client.get(URL).json()

    assert body["count"] == 1
    item = body["items"][0]
    assert (item["name"], item["county"], item["phone"]) == ("王建国", "泰山区", "137****0001")
    assert item["id_number"] == f"{ID_A[:4]}**********{ID_A[-4:]}"
    assert [r["kind"] for r in item["roles"]] == ["expert"]
    assert PHONE_A not in str(body)


def test_an_integration_with_a_city_token_filters_by_role_and_county(client, personas, cast):
    cast.enter(roles=[RoleKind.EXPERT])
    cast.enter_b(roles=[RoleKind.VOLUNTEER])
    _, key = token_issue(membership=Membership.objects.get(user=personas.city_staff), name="市科协对接")
    auth = {"Authorization": f"Bearer {key}"}

    assert client.get(URL, headers=auth).json()["count"] == 2
    assert [p["name"] for p in client.get(URL, {"role": "volunteer"}, headers=auth).json()["items"]] == ["李秀英"]
    assert [p["name"] for p in client.get(URL, {"county": "370902"}, headers=auth).json()["items"]] == ["王建国"]
    assert client.get(URL, {"role": "astrologer"}, headers=auth).status_code == 422


def test_others_get_no_answer(client, login, personas, cast):
    cast.enter()

    assert client.get(URL).status_code == 401
    for persona in (personas.organiser, personas.reviewer, personas.citizen):
        login(client, persona)
        assert client.get(URL).status_code == 404
