"""Issue 7's dashboard (数据驾驶舱) in a real browser, on the demo data: city staff open it from the console menu, follow a
lagging figure to the records it counts (a card, the county table, a bar of the county chart), and see the towns not
yet covered — with the charts drawn and no script error nor CSP violation; a county's staff see their county only."""

import re

import pytest
from django.core.management import call_command

from tests.browser.conftest import PHONE, screenshot
from xinghuo.accounts.models import User
from xinghuo.regions.models import Region
from xinghuo.venues.models import Venue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_FOUND = "您要找的页面或记录不存在，或您无权查看"
CSP_REPORTER = """document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
});"""
#: The middle of a bar of an ECharts bar chart, in its canvas's pixels: where a user clicks it.
BAR_MIDDLE = """(canvas, index) => {
  const chart = echarts.getInstanceByDom(canvas.closest("[data-chart]"));
  const value = chart.getOption().series[0].data[index].value;
  const top = chart.convertToPixel({seriesIndex: 0}, [index, value]);
  const base = chart.convertToPixel({seriesIndex: 0}, [index, 0]);
  return {x: Math.round(top[0]), y: Math.round((top[1] + base[1]) / 2)};
}"""
#: Whether the canvas shows the bars' colour at a point (the bars grow for a second when the chart is drawn).
PAINTED = """([canvas, point]) => {
  const ratio = canvas.width / canvas.clientWidth;
  const [r, g, b] = canvas.getContext("2d").getImageData(point.x * ratio, point.y * ratio, 1, 1).data;
  return r === 0x2b && g === 0x6c && b === 0xb0;
}"""
#: What each chart element holds: whether ECharts drew a canvas in it and how many data items its first series has.
CHARTS = """() => [...document.querySelectorAll("[data-chart]")].map(el => {
  const chart = echarts.getInstanceByDom(el);
  const series = chart ? chart.getOption().series : [];
  return {name: el.dataset.chart, canvas: el.querySelector("canvas") !== null,
          items: series.reduce((n, s) => n + (s.data || []).length, 0)};
})"""

#: Waits for every chart to finish drawing (at most 2 s: a chart already still reports nothing more).
SETTLED = """() => Promise.all([...document.querySelectorAll("[data-chart]")].map(el => new Promise(done => {
  echarts.getInstanceByDom(el).on("finished", done);
  setTimeout(done, 2000);
})))"""


@pytest.fixture
def demo():
    call_command("seed_demo", "--scale", "small", "--quiet")


def watch(page) -> list[str]:
    """The page's script errors, failed requests and CSP violations (reported on the console), as they come."""
    problems: list[str] = []
    page.add_init_script(CSP_REPORTER)
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return problems


def charts_drawn(page) -> list[dict]:
    page.wait_for_function("() => typeof echarts !== 'undefined'")
    drawn = page.evaluate(CHARTS)
    assert drawn, "the page has no chart"
    for chart in drawn:
        assert chart["canvas"], f"chart {chart['name']} has no canvas"
        assert chart["items"] > 0, f"chart {chart['name']} is empty"
    return drawn


def still(page, name: str) -> None:
    """A screenshot once the charts have stopped moving (ECharts reports `finished` when its animation ends)."""
    page.evaluate(SETTLED)
    screenshot(page, name)


def column(page, title: str) -> list[str]:
    """The cells of one column of the records table, by its heading."""
    table = page.get_by_test_id("records")
    index = table.locator("thead th").all_inner_texts().index(title)
    return [row.locator("td").nth(index).inner_text().strip() for row in table.get_by_test_id("record-row").all()]


def count_of(page) -> int:
    return int(re.match(r"(\d+)", page.get_by_test_id("record-count").inner_text()).group(1))


def phone_context(browser, page):
    """The same signed-in session on a phone."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN")
    context.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1)"), lambda route: route.abort())
    context.add_cookies(page.context.cookies())
    return context


def towns_without_station(county_code: str = "") -> set[str]:
    """Counted here from the venues themselves: towns where neither the town nor a village of it has a station."""
    stations = Venue.unscoped.filter(venue_type="spark_station", status__in=("certified", "warned")).select_related("region")
    covered = {v.region_id if v.region.level == "town" else v.region.town_id for v in stations}
    towns = Region.objects.filter(level="town", city__code="370900")
    if county_code:
        towns = towns.filter(county__code=county_code)
    return {t.name for t in towns if t.pk not in covered}


def test_city_staff_follow_a_lagging_figure_to_its_records_and_the_towns_not_covered(demo, browser, staff_page, live_server):
    page = staff_page(User.objects.get(username="kepu"))
    page.set_viewport_size({"width": 1366, "height": 900})
    problems = watch(page)

    # Given the dashboard, opened from the console's menu
    page.goto(live_server.url + "/console/")
    page.get_by_role("navigation", name="后台菜单").get_by_role("link", name="数据驾驶舱", exact=True).click()
    page.wait_for_url(re.compile(r"/console/indicators/$"))
    assert page.get_by_role("heading", name="目标完成情况").is_visible()
    assert "统计范围：泰安市" in page.get_by_text("统计范围").inner_text()
    drawn = charts_drawn(page)
    assert {c["name"] for c in drawn} == {"progress", "trends", "stations", "villages"}
    assert page.get_by_test_id("league-row").count() >= 6  # the counties side by side
    still(page, "dashboard-city-1366")

    # When they open a lagging figure: the towns with a service station
    card = page.get_by_test_id("figure-towns_with_station")
    assert card.get_by_test_id("lagging").is_visible()
    covered, total = map(int, re.match(r"(\d+)/(\d+)", card.get_by_test_id("value").inner_text()).groups())
    assert 0 < covered < total
    card.get_by_text("建有服务站的乡镇（街道）").click()
    page.wait_for_url(re.compile(r"/console/indicators/towns_with_station/\?year=\d{4}$"))

    # Then its page lists exactly the towns the card counts, by county too
    assert count_of(page) == covered
    assert page.get_by_test_id("record-row").count() == min(covered, 20)
    parts = page.get_by_test_id("parts")
    assert sum(int(t.split("/")[0]) for t in parts.get_by_test_id("part-link").all_inner_texts()) == covered
    assert {c["name"] for c in charts_drawn(page)} >= {"parts"}

    # When they ask for the towns not covered
    page.get_by_test_id("uncovered").click()
    page.wait_for_url(re.compile(r"uncovered=1"))

    # Then those are listed: every town without a station, and none with one
    assert count_of(page) == total - covered
    assert set(column(page, "名称")) == towns_without_station()

    # When they go back and follow one county in the table
    page.go_back()
    row = page.get_by_test_id("parts").locator("tr", has_text="泰山区")
    in_taishan = int(row.get_by_test_id("part-link").inner_text().split("/")[0])
    row.get_by_test_id("part-link").click()
    page.wait_for_url(re.compile(r"part=370902"))
    assert count_of(page) == in_taishan
    assert set(column(page, "县市区")) == {"泰山区"}

    # ... and click the county's bar on the county chart
    page.goto(live_server.url + "/console/indicators/towns_with_station/")
    charts_drawn(page)
    canvas = page.locator("[data-chart=parts] canvas").first
    names = page.evaluate("() => JSON.parse(document.getElementById('xh-chart-data').textContent).parts.map(p => p.name)")
    middle = canvas.evaluate(BAR_MIDDLE, names.index("岱岳区"))
    canvas.scroll_into_view_if_needed()
    page.wait_for_function(PAINTED, arg=[canvas.element_handle(), middle])
    canvas.click(position=middle)
    page.wait_for_url(re.compile(r"part=370911"))
    assert set(column(page, "县市区")) == {"岱岳区"}

    # And nothing went wrong in the browser on the way
    assert problems == []

    # The dashboard on a phone, for the eye
    context = phone_context(browser, page)
    try:
        phone = context.new_page()
        phone.goto(live_server.url + "/console/indicators/")
        charts_drawn(phone)
        still(phone, "dashboard-city-phone")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # wide tables scroll in their box
        phone.goto(live_server.url + "/console/indicators/towns_with_station/")
        charts_drawn(phone)
        still(phone, "dashboard-indicator-phone")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_county_staff_see_their_county_only(demo, staff_page, live_server):
    page = staff_page(User.objects.get(username="taishan"))
    page.set_viewport_size({"width": 1366, "height": 900})
    problems = watch(page)
    taishan_towns = {t.display_name for t in Region.objects.filter(level="town", county__code="370902")}

    # Given the dashboard of 泰山区's staff
    page.goto(live_server.url + "/console/")
    page.get_by_role("navigation", name="后台菜单").get_by_role("link", name="数据驾驶舱", exact=True).click()
    page.wait_for_url(re.compile(r"/console/indicators/$"))
    charts_drawn(page)
    still(page, "dashboard-county-1366")

    # Then the scope is 泰山区, the league table ranks its towns, and no selector offers another county
    assert "统计范围：泰山区" in page.get_by_text("统计范围").inner_text()
    labels = [row.locator("td").nth(1).inner_text() for row in page.get_by_test_id("league-row").all()]
    assert set(labels) == taishan_towns | {"泰山区本级"}
    assert page.locator("#xh-county").count() == 0
    assert page.get_by_role("option", name="岱岳区").count() == 0

    # When they open the service stations' records, and the towns without one
    card = page.get_by_test_id("figure-service_stations")
    stations = int(card.get_by_test_id("value").inner_text())
    card.get_by_text("星火科普服务站（已认定）").click()
    page.wait_for_url(re.compile(r"/console/indicators/service_stations/"))
    assert count_of(page) == stations > 0
    assert set(column(page, "县市区")) == {"泰山区"}
    page.goto(live_server.url + "/console/indicators/towns_with_station/?uncovered=1")
    assert set(column(page, "名称")) == towns_without_station("370902")
    assert set(column(page, "县市区")) == {"泰山区"}
    assert problems == []

    # And another county's dashboard or records are not found
    for url in ("/console/indicators/?county=370911", "/console/indicators/towns_with_station/?county=370911"):
        response = page.goto(live_server.url + url)
        assert response.status == 404
        assert page.get_by_role("heading", name=NOT_FOUND).is_visible()
