"""On a phone: a research-tour route drawn as numbered stops on a line with the tile server unreachable, and a
citizen objecting to a venue in public notice, which the city then sees (the phone masked) in the console."""

import re

import pytest

from tests.browser.conftest import screenshot
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.venues.models import Audience, VenueStatus, VenueType
from xinghuo.venues.services import map_changed, venue_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOURS = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def _venue(name: str, i: int, *, status: str = VenueStatus.CERTIFIED, vtype: str = VenueType.EDUCATION_BASE, subtype: str = ""):
    town = Region.objects.filter(county__code="370902", level="town").order_by("code")[i % 4]
    return venue_create(
        operator=Organisation.unscoped.get(code="KX370902"), region=town, status=status, name=name, venue_type=vtype,
        subtype=subtype, address=f"泰山区{town.name}{i}号", lat=36.18 + i * 0.01, lon=117.10 + i * 0.012,
        opening_hours=HOURS, audiences=[Audience.YOUTH],
    )  # fmt: skip


def test_a_route_shows_its_stops_in_order_on_a_line_without_tiles(phone, live_server, settings):
    from xinghuo.tours.services import StopSpec, route_create, route_publish

    settings.MAP_TILES = "tianditu"
    settings.TIANDITU_KEY = "test-key"
    stops = [_venue(name, i) for i, name in enumerate(["泰山地质博物馆科普教育基地", "岱庙气象台科普教育基地", "泰山植物园科普教育基地"])]
    route = route_create(
        operator=Organisation.unscoped.get(code="KX370902"), region=Region.objects.get(code="370902"), name="泰山地质与生态研学线路",
        stops=[StopSpec(venue=v, minutes=60, notes="") for v in stops], max_groups_per_day=2,
    )  # fmt: skip
    route_publish(route=route)
    map_changed()
    broken = []
    phone.on("response", lambda r: broken.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    phone.goto(live_server.url + "/tours/")
    phone.get_by_text("泰山地质与生态研学线路").first.click()
    phone.wait_for_selector("#xh-line-map[data-markers]", state="attached")

    assert phone.get_attribute("#xh-line-map", "data-markers") == "3"
    assert phone.locator("#xh-line-map path.leaflet-interactive").count() == 1  # the line joining the stops
    listed = phone.get_by_test_id("stop-list").locator("li")
    assert listed.count() == 3
    for i, venue in enumerate(stops):
        assert venue.name in listed.nth(i).inner_text()  # in the route's order, drawn by the server
    assert broken == []
    screenshot(phone, "route-phone-no-tiles")


def test_a_citizen_objects_to_a_notice_on_a_phone_and_the_city_sees_it_masked(phone, staff_page, live_server):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import PASSWORD, CitizenFactory, make_staff
    from xinghuo.accounts.actor import actor_for
    from xinghuo.accounts.roles import Role
    from xinghuo.certification import services
    from xinghuo.certification.models import Score
    from xinghuo.certification.tests.conftest import PDF
    from xinghuo.core.scoping import scope

    station = _venue("岱庙街道党群服务中心星火科普服务站", 1, status=VenueStatus.DRAFT, vtype=VenueType.SPARK_STATION,
                     subtype="party_service_center")  # fmt: skip
    county = actor_for(make_staff("taishan_reviewer", Organisation.unscoped.get(code="KX370902"), Role.COUNTY_STAFF))
    city_user = make_staff("city_reviewer", Organisation.unscoped.get(code="KX370900-KPB"), Role.CITY_STAFF)
    city = actor_for(city_user)
    with scope(**county.scope_kwargs()):
        application = services.application_create(actor=county, venue=station)
        marks = {
            s.indicator_id: (str(s.indicator.weight), "")
            for s in Score.unscoped.filter(application=application).select_related("indicator")
        }
        services.application_save_self_assessment(actor=county, application=application, scores=marks)
        services.evidence_add(actor=county, application=application, upload=SimpleUploadedFile("说明.pdf", PDF))
        services.application_submit(actor=county, application=application)
        services.application_county_review(actor=county, application=application, approve=True)
    with scope(**city.scope_kwargs()):
        services.application_city_review(actor=city, application=application, scores=marks, decision="notice")
    CitizenFactory(phone="13700005678", name="赵敏")

    # The public notice, read on a phone; objecting asks the citizen to sign in first
    phone.goto(live_server.url + "/certification/notice/")
    item = phone.get_by_test_id("notice-item").first
    assert station.name in item.inner_text()
    item.get_by_role("link", name="提出异议").click()
    phone.wait_for_url(re.compile(r"/accounts/login/"))
    phone.get_by_label("用户名或手机号").fill("13700005678")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(re.compile(r"/objection/$"))
    phone.get_by_label("异议内容").fill("太短")
    phone.get_by_role("button", name="提交异议").click()
    assert "至少 10 个字" in phone.content()  # nothing saved; the form says why, in Chinese
    phone.get_by_label("异议内容").fill("服务站的科普终端一直没有开机，周末也不开放")
    phone.get_by_label("联系电话").fill("13700005678")
    phone.get_by_role("button", name="提交异议").click()
    phone.wait_for_url(re.compile(r"/certification/notice/$"))
    assert "异议已提交" in phone.content()
    screenshot(phone, "certification-objection-phone")

    # The city's reviewer sees the objection, the phone masked, waiting for an answer
    console = staff_page(city_user)
    console.goto(f"{live_server.url}/console/certification/{application.uid}/")
    objections = console.get_by_test_id("objections").inner_text()
    assert "137****5678" in objections
    assert "13700005678" not in console.content()
    assert "公示中" in console.get_by_test_id("application-status").inner_text()
    screenshot(console, "certification-console-objection")
