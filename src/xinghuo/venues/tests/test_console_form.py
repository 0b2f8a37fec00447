"""Filing a venue in the console: a draft in the filer's own region, or a clear message and nothing saved."""

import pytest

from xinghuo.organisations.models import Organisation
from xinghuo.venues.models import Venue, VenueStatus

pytestmark = pytest.mark.django_db


def post(client, **changes):
    data = {
        "name": "岱庙街道智能制造星火科技馆", "venue_type": "spark_hall", "subtype": "new_technology",
        "operator": str(Organisation.unscoped.get(code="KX370902").uid), "region": "370902001", "address": "岱庙街道某路 8 号",
        "lat": "36.19", "lon": "117.12", "hours": "周二至周日 09:00-17:00", "capacity": "60", "audiences": ["youth"],
        "contact_phone": "0538-8221234",
    }  # fmt: skip
    data.update(changes)
    return client.post("/console/venues/new/", data)


def test_county_staff_file_a_draft_in_their_county(client, login, personas):
    login(client, personas.county_a)

    response = post(client)

    assert response.status_code == 302
    venue = Venue.unscoped.get(name="岱庙街道智能制造星火科技馆")
    assert venue.status == VenueStatus.DRAFT
    assert venue.code is None  # the code comes with listing or certification
    assert venue.opening_hours["tue"] == [["09:00", "17:00"]]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"region": "370911001"}, "请选择您管理范围内的区划"),
        ({"lat": "abc"}, "纬度应为数字"),
        ({"hours": "全天"}, "看不懂"),
        ({"subtype": "party_service_center"}, "细分类型与场馆类型不符"),
        ({"name": ""}, "请填写名称"),
    ],
)
def test_bad_input_is_answered_beside_the_field_and_saves_nothing(client, login, personas, changes, message):
    login(client, personas.county_a)

    response = post(client, **changes)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Venue.unscoped.exists()
