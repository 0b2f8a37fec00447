"""The indicators' reports: the Excel workbook holds the board's figures; the printed progress report of a quarter
adds up the quarter's months, in Chinese; the survey's figures are the records' own counts and the items the records
cannot supply are listed as missing; each is the actor's scope only (a county's staff their county, another county
404, anyone else 404)."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from xinghuo.activities.models import Activity, Brand
from xinghuo.core.errors import DomainError
from xinghuo.core.excel import Column, Sheet, write_sheets
from xinghuo.core.models import AuditEvent
from xinghuo.indicators import reports, selectors, statistics
from xinghuo.organisations.base_data import city_association
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.resources.models import Resource
from xinghuo.talent.models import PersonRole
from xinghuo.venues.models import Venue
from xinghuo.worklist import data as worklist_data
from xinghuo.worklist.loading import load
from xinghuo.worklist.models import Action, ActionStatus, Filing, Plan, ProgressReport, SupervisionNotice

pytestmark = pytest.mark.django_db

CITY, COUNTY_A, COUNTY_B = "370900", "370902", "370911"  # 泰安市, 泰山区 (county A), 岱岳区 (county B)
ROUTES = ("export", "report_pdf", "statistics", "statistics_export")
YEAR = 2026  # the year the brands' targets are set for (activities migration 0002)


def url(name: str, **params: object) -> str:
    from django.urls import reverse

    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse(f"indicators_console:{name}") + (f"?{query}" if query else "")


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def workbook(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)


def aware(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def demo(personas):
    call_command("seed_demo", "--scale", "small", "--quiet")


# --- the workbook ---------------------------------------------------------------------------------------------------


def test_the_workbook_holds_the_boards_figures_for_the_city_and_for_a_county(demo, client, login, personas):
    year = timezone.localdate().year
    login(client, personas.city_staff)

    book = workbook(client.get(url("export", year=year)))

    board = selectors.board(within=region(CITY), year=year, fresh=True)
    assert book.sheetnames == ["汇总", "分县市区", "分月"]
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert summary[0][:6] == ("分组", "指标", "方案条款", "单位", "目标", "完成值")
    assert len(summary) == len(board.figures) + 1
    for row, figure in zip(summary[1:], board.figures, strict=True):
        assert row[1] == figure.indicator.name
        assert row[4] == (figure.target.label if figure.target else None)
        assert row[5] == reports.number(figure.value)
        assert row[9] == reports.STATE_LABELS[figure.state]
    assert {"达标", "滞后", "无目标", "无数据来源"} <= {row[9] for row in summary[1:]}
    assert any(row[1] == "完成社会科普责任评估的单位" and row[9] == "无数据来源" and row[5] is None for row in summary)

    counties = list(book["分县市区"].iter_rows(values_only=True))
    head = counties[0]
    assert head[3:] == (
        *(r.display_name for r in Region.objects.filter(level="county", city__code=CITY).order_by("code")),
        *(f"{z.display_name}本级" for z in Region.objects.filter(level="zone", city__code=CITY).order_by("code")),
        "市本级",
        "合计",
    )
    for row, figure in zip(counties[1:], board.figures, strict=True):
        assert row[1] == figure.indicator.name
        if not figure.available:
            assert row[-1] == "无数据来源"
            continue
        for part in figure.parts:
            cell = row[head.index(part.label)]
            assert cell == (reports.part_text(part) if figure.indicator.measure == "ratio" else reports.number(part.value)), part.label
        if figure.indicator.measure != "ratio":
            assert row[-1] == reports.number(figure.value)
            assert sum(c for c in row[3:-1]) == row[-1]  # the counties, the zones' own and the city's own add up

    months = list(book["分月"].iter_rows(values_only=True))
    for row, figure in zip(months[1:], board.figures, strict=True):
        assert row[3:15] == tuple(reports.number(p.value) for p in figure.months) or not figure.months
    hours = next(r for r in months if r[1] == "志愿服务时长")
    assert hours[15] == reports.number(board.by_key()["volunteer_hours"].value) > 0  # a yearly figure is its months' sum
    assert AuditEvent.objects.filter(action="export", object_type="indicators.indicator").exists()

    # a county's staff get their county, broken down by its towns
    login(client, personas.county_a)
    county = workbook(client.get(url("export", year=year)))
    own = selectors.board(within=region(COUNTY_A), year=year, fresh=True)
    assert county.sheetnames == ["汇总", "分乡镇（街道）", "分月"]
    towns = list(county["分乡镇（街道）"].iter_rows(values_only=True))
    assert "岱庙街道" in towns[0]
    assert "粥店街道" not in towns[0]
    assert "泰山区本级" in towns[0]
    halls = next(r for r in county["汇总"].iter_rows(values_only=True) if r[1] == "星火科技馆（已认定）")
    assert halls[5] == own.by_key()["spark_halls_certified"].value < board.by_key()["spark_halls_certified"].value


# --- the progress report --------------------------------------------------------------------------------------------


def _activity(brand: str, level: str, when: datetime, *, attendance: int = 30, place: str = "370902001") -> Activity:
    return Activity.unscoped.create(
        title=f"{brand}{when:%m%d}", brand=Brand.objects.get(code=brand), level=level, organiser=Organisation.unscoped.get(code="KX370902"),
        region=region(place), starts_at=when, ends_at=when + timedelta(hours=2), address="岱庙街道", status="verified", attendance=attendance,
        reported_at=when + timedelta(days=1), verified_at=when + timedelta(days=2),
    )  # fmt: skip


@pytest.fixture
def quarter(db):
    """County A's verified 三百三进 demonstration activities: one in March, two in the third quarter, one in November; a
    星火科技馆 certified in August; the work list with one of county A's actions behind, a returned filing, an overdue
    report and an open notice past its day; county B's open notice."""
    for when in (aware(YEAR, 3, 10, 9), aware(YEAR, 7, 2, 9), aware(YEAR, 9, 30, 20), aware(YEAR, 11, 5, 9)):
        _activity("sanbai", "city", when)
    Venue.unscoped.create(
        name="泰山区星火科技馆", venue_type="spark_hall", status="certified", operator=Organisation.unscoped.get(code="KX370902"),
        region=region("370902001"), address="岱庙街道", lat=36.19, lon=117.12, certified_at=aware(YEAR, 8, 8, 10),
    )  # fmt: skip
    load(plans=worklist_data.PLANS, tasks=worklist_data.TASKS, city=city_association())
    county_a = Organisation.unscoped.get(code="KX370902")
    action = Action.unscoped.filter(organisation=county_a).order_by("task__code").first()
    action.status, action.progress, action.note = ActionStatus.DELAYED, 20, "进度滞后，正在追赶"
    action.save()
    Filing.unscoped.create(
        organisation=county_a, plan=Plan.objects.get(code="xinghuo"), title="泰山区实施方案", content="内容", status="returned"
    )
    ProgressReport.unscoped.create(action=action, period=f"{YEAR}-08", due=date(YEAR, 9, 5))
    today = timezone.localdate()
    SupervisionNotice.unscoped.create(organisation=county_a, text="请加快进度", answer_by=today - timedelta(days=1))
    SupervisionNotice.unscoped.create(organisation=Organisation.unscoped.get(code="KX370911"), text="岱岳区督办", answer_by=today)
    return action


def test_a_quarters_report_adds_up_its_months_and_prints_in_chinese(quarter, client, login, personas):
    login(client, personas.county_a)

    text = pdf_text(client.get(url("report_pdf", year=YEAR, period="Q3")))

    flat = text.replace("\n", " ")
    for words in ("「星火科普」专项行动进展报告", "统计范围：泰山区", "2026年第三季度", "科普阵地", "品牌活动", "工作清单落实进度",
                  "实施方案备案", "进展报送与督办", "进度滞后，正在追赶"):  # fmt: skip
        assert words in flat, words
    # 三百三进 city-level: the quarter's two, three to the end of September; the target is the city's, not the county's
    line = next(li for li in text.splitlines() if li.startswith("三百三进·市级示范活动"))
    assert line.split()[1:] == ["10–20期", "2", "3", "—", "无县级目标"]
    # a standing figure: the hall certified in August is the quarter's addition, and what stands today
    assert next(li for li in text.splitlines() if li.startswith("星火科技馆（已认定）")).split()[1:4] == ["≥20家", "1", "1"]
    assert "逾期未报送的进展报告：1 份；待回复的督办通知：1 件（其中已过回复期限 1 件）" in flat
    assert AuditEvent.objects.filter(action="export", object_type="indicators.report").exists()


def test_the_reports_context_is_the_scopes_own(quarter, personas):
    board = selectors.board(within=region(COUNTY_A), year=YEAR)
    report = reports.progress_report(actor=personas.actor(personas.county_a), board=board, period=reports.parse_period(YEAR, "m9"))

    row = next(r for s in report.sections for r in s.rows if r.indicator.key == "activities_sanbai_city")
    assert (row.period_value, row.measured.value, row.figure.value) == (1, 3, 4)  # September; January–September; the year
    assert [a.pk for a in report.lagging] == [quarter.pk]
    assert [(f.organisation, f.counts, f.missing) for f in report.filings] == [("泰山区科学技术协会", {"returned": 1}, 1)]
    assert (report.overdue_total, report.notices_open, report.notices_overdue) == (1, 1, 1)
    assert (row.gap, row.state) == ("", "无县级目标")  # a county's count is not read against the city's target

    city = selectors.board(within=region(CITY), year=YEAR)
    whole = reports.progress_report(actor=personas.actor(personas.city_staff), board=city, period=reports.parse_period(YEAR, "Q3"))
    assert whole.notices_open == 2
    assert len(whole.filings) == 9  # every county and zone association, filed or not
    sanbai = next(r for s in whole.sections for r in s.rows if r.indicator.key == "activities_sanbai_city")
    assert (sanbai.period_value, sanbai.measured.value, sanbai.gap, sanbai.state) == (2, 3, "还差 7期", "滞后")
    year = reports.period_row(city.by_key()["activities_sanbai_city"], reports.parse_period(YEAR, ""))
    assert year.period_value == year.measured.value == year.figure.value == 4


@pytest.mark.parametrize(
    ("code", "months", "label"),
    [("", tuple(range(1, 13)), "2026年全年"), ("Q3", (7, 8, 9), "2026年第三季度"), ("q1", (1, 2, 3), "2026年第一季度"),
     ("m9", (9,), "2026年9月"), ("M12", (12,), "2026年12月")],
)  # fmt: skip
def test_a_period_is_a_year_a_quarter_or_a_month(code, months, label):
    period = reports.parse_period(YEAR, code)

    assert (period.months, period.label) == (months, label)
    assert period.end.month == months[-1]
    assert period.start.day == 1


@pytest.mark.parametrize("code", ["Q0", "Q5", "m0", "m13", "2026-09", "全年"])
def test_any_other_period_is_refused_in_chinese(code):
    with pytest.raises(DomainError) as caught:
        reports.parse_period(YEAR, code)

    assert caught.value.code == "indicator_invalid"
    assert "报告期应为" in caught.value.message


def test_a_bad_period_or_year_is_told_and_nothing_is_exported(client, login, personas):
    login(client, personas.county_a)
    before = AuditEvent.objects.filter(action="export").count()

    response = client.get(url("report_pdf", year=YEAR, period="Q5"), follow=True)

    assert "报告期应为全年（留空）、季度（Q1–Q4）或月份（m1–m12）" in response.content.decode()
    assert response.redirect_chain[-1][0].startswith(url("statistics"))
    assert "年度应为" in client.get(url("export", year="1999"), follow=True).content.decode()
    page = client.get(url("statistics", year="abc"))
    assert page.status_code == 400
    assert "年度应为" in page.content.decode()
    assert AuditEvent.objects.filter(action="export").count() == before


# --- the survey -------------------------------------------------------------------------------------------------------


def _held_at_end(role: PersonRole, year: int) -> bool:
    end = date(year, 12, 31)
    return role.since <= end and (role.ended_on is None or role.ended_on > end)


def test_the_survey_counts_what_the_records_hold_and_lists_what_they_cannot(demo, client, login, personas):
    year = timezone.localdate().year
    city = region(CITY)

    survey = statistics.survey(within=city, year=year)

    done = [a for a in Activity.unscoped.all() if a.status == "verified" and timezone.localtime(a.starts_at).year == year]
    assert survey.item("科普活动").value == len(done) > 0
    assert survey.item("科普活动现场参与人次").value == sum(a.attendance or 0 for a in done) > 0
    roles = [r for r in PersonRole.unscoped.all() if _held_at_end(r, year)]
    volunteers = {r.person_id for r in roles if r.kind == "volunteer"}
    staff = {r.person_id for r in roles if r.kind in statistics.SCIENCE_ROLES}
    assert survey.item("注册科普（技）志愿者").value == len(volunteers) > 0
    assert survey.item("在册科普人员（不分专兼职）").value == len(staff) > 0
    bases = [v for v in Venue.unscoped.all() if v.venue_type == "education_base" and v.status in ("certified", "warned")
             and timezone.localtime(v.certified_at).year <= year]  # fmt: skip
    assert survey.item("科普教育基地").value == len(bases) > 0
    articles = [
        r
        for r in Resource.unscoped.all()
        if r.kind == "article" and r.status == "published" and timezone.localtime(r.published_at).year == year
    ]
    assert survey.item("科普图文（新媒体科普文章）").value == len(articles)
    # 星火 venues are counted as the indicators count them
    assert (
        survey.item("星火科普服务站（参照社区、农村科普活动场地）").value
        == selectors.board(within=city, year=year).by_key()["service_stations"].value
    )

    assert [c.name for c in survey.categories] == ["科普人员", "科普场地", "科普经费", "科普传媒", "科普活动", "科研设施开放与创新创业"]
    assert all(c.supplied or c.name == "科普经费" for c in survey.categories)
    assert all(c.missing for c in survey.categories)
    for name in ("科普专职人员", "科学技术类博物馆", "科普期刊", "科普（技）竞赛", "举办科普活动的众创空间", "年度科普经费筹集额"):
        assert survey.item(name).missing, name
        assert survey.item(name).how, name
    if apps.is_installed("xinghuo.projects"):  # funds from the funded projects allocated in the year
        project = apps.get_model("projects", "Project")
        funded = [p for p in project.unscoped.all() if p.allocated is not None and p.allocated_on.year == year]
        assert survey.item("科普项目立项资金").value == sum((p.allocated for p in funded), Decimal(0))
        assert survey.item("科普项目已支出").value == sum((p.spent for p in funded), Decimal(0))
    else:
        assert "科普项目模块未启用" in survey.item("年度科普经费筹集额").how

    # the page and its Excel: county A's staff get county A's figures
    login(client, personas.county_a)
    own = statistics.survey(within=region(COUNTY_A), year=year)
    page = client.get(url("statistics"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "全国科普统计调查 · 泰山区" in body
    assert "记录中无此数据" in body
    assert body.count('data-testid="survey-missing"') == len([i for i in own.items if i.missing])
    book = workbook(client.get(url("statistics_export")))
    rows = {r[1]: r for r in book["科普统计"].iter_rows(min_row=2, values_only=True)}
    assert rows["科普活动"][3] == own.item("科普活动").value < survey.item("科普活动").value
    assert rows["科普专职人员"][3] == "记录中无此数据"
    assert {r[1] for r in book["缺失项目"].iter_rows(min_row=2, values_only=True)} == {i.name for i in own.items if i.missing}


# --- scope and access ---------------------------------------------------------------------------------------------


def test_county_staff_get_their_county_and_never_another(client, login, personas):
    login(client, personas.county_a)

    assert "全国科普统计调查 · 泰山区" in client.get(url("statistics")).content.decode()
    assert client.get(url("statistics", county=COUNTY_A)).status_code == 200
    for name in ROUTES:
        assert client.get(url(name, county=COUNTY_B)).status_code == 404, name
        assert client.get(url(name, county=CITY)).status_code == 404, name

    login(client, personas.city_staff)
    assert "全国科普统计调查 · 岱岳区" in client.get(url("statistics", county=COUNTY_B)).content.decode()
    assert "全国科普统计调查 · 泰安市" in client.get(url("statistics")).content.decode()


@pytest.mark.parametrize("who", ["organiser", "citizen", "reviewer", "sysadmin"])
def test_anyone_but_staff_gets_404(client, login, personas, who):
    login(client, getattr(personas, who))

    for name in ROUTES:
        assert client.get(url(name)).status_code == 404, name


def test_a_visitor_is_sent_to_sign_in(client):
    assert client.get(url("statistics")).status_code == 302


# --- the workbook helper --------------------------------------------------------------------------------------------


def test_several_sheets_are_written_one_after_the_other(tmp_path):
    path = str(tmp_path / "book.xlsx")
    columns = [Column("名称", lambda r: r[0]), Column("数值", lambda r: r[1])]

    count = write_sheets(path, [Sheet("甲", columns, [("a", 1), ("b", Decimal("2.5"))]), Sheet("乙" * 40, columns, iter([("=c", 3)]))])

    book = openpyxl.load_workbook(path)
    assert count == 3
    assert book.sheetnames == ["甲", "乙" * 31]
    assert list(book["甲"].iter_rows(values_only=True)) == [("名称", "数值"), ("a", 1), ("b", "2.5")]
    assert list(book["乙" * 31].iter_rows(values_only=True))[1] == ("'=c", 3)  # formulas stay text
