"""The indicators of the city's plans, declared once: what each counts, from which module, for which clause.

Targets are not written here: they come from the work list (the `indicator` key of a task's target, extracted from
the seeds into worklist/data.py and loaded into the database, where city staff add the targets of new plans), and for
activities from each brand's yearly target (品牌活动目标) when city staff have set one.

Each record source is imported inside its function, so that an indicator whose module is missing says "no data
source" instead of failing; `SOURCES_PLANNED` names the modules that the plans call for and the platform does not
have yet (their indicators are declared, with no records)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Least
from django.urls import reverse

from xinghuo.indicators.registry import COUNT, RATIO, SUM, Column, Indicator

ARENAS, BRANDS, TALENT, RESOURCES, PROJECTS, MOBILISE = "科普阵地", "品牌活动", "人才队伍", "科普资源", "科普项目", "社会动员"
SUPERVISION = "工作督办"
GROUPS = (ARENAS, BRANDS, TALENT, RESOURCES, PROJECTS, MOBILISE, SUPERVISION)


def _link(name: str) -> Callable[[Any], str]:
    return lambda record: reverse(name, args=[record.uid])


def _person_link(record: Any) -> str:
    person = getattr(record, "person", record)
    return reverse("talent_console:detail", args=[person.uid])


def _region(record: Any) -> str:
    region = getattr(record, "region", record)
    return region.display_name if region is not None else ""


def _county(region: Any) -> str:
    if region is None:
        return ""
    if region.level in ("county", "zone"):
        return region.display_name
    return region.county.display_name if region.county_id else ""


# --- venues: 星火科技馆, service stations, and the towns they cover -------------------------------------------------

HOLDING = ("certified", "warned")  # a venue that holds its certification (a warned one keeps its plaque until revoked)


def _venues(venue_type: str) -> Callable[[], QuerySet]:
    def records() -> QuerySet:
        from xinghuo.venues.models import Venue

        return Venue.unscoped.filter(venue_type=venue_type, status__in=HOLDING)

    return records


VENUE_COLUMNS = (
    Column("名称", lambda v: v.name, 30),
    Column("统一编号", lambda v: v.code or "", 18),
    Column("县市区", lambda v: _county(v.region), 12),
    Column("所在区划", lambda v: v.region.display_name, 16),
    Column("运营单位", lambda v: v.operator.name, 24),
    Column("状态", lambda v: v.get_status_display(), 10),
    Column("认定时间", lambda v: v.certified_at, 18),
)


def _towns() -> QuerySet:
    from xinghuo.regions.models import Region

    return Region.objects.filter(level="town")


def _stations_of_town() -> tuple[QuerySet, QuerySet]:
    """A town's service stations: those in the town itself, and those in its villages. Two queries, each answered off an
    index (the venue's region; the region's town); one query with an OR across the join to the venue's region makes
    PostgreSQL join every station to every region of the province again for each town (2 s at province scale)."""
    from xinghuo.venues.models import Venue

    stations = Venue.unscoped.filter(venue_type="spark_station", status__in=HOLDING)
    return stations.filter(region=OuterRef("pk")), stations.filter(region__town=OuterRef("pk"))


def _town_covered() -> Q:
    own, villages = _stations_of_town()
    return Q(Exists(own)) | Q(Exists(villages))


def _town_covered_since() -> Least:
    """The earlier of the two first certifications (Coalesce: Least is NULL on SQLite when either is)."""
    own, villages = (Subquery(qs.order_by("certified_at").values("certified_at")[:1]) for qs in _stations_of_town())
    return Least(Coalesce(own, villages), Coalesce(villages, own))


# --- promoters: the villages they cover -----------------------------------------------------------------------------


def _villages() -> QuerySet:
    from xinghuo.regions.models import Region

    return Region.objects.filter(level="village")


def _areas_of_village() -> QuerySet:
    from xinghuo.promoters.models import PromoterArea, covering

    return covering(PromoterArea.unscoped.filter(village=OuterRef("pk")))


def _village_covered() -> Exists:
    return Exists(_areas_of_village())


def _village_covered_since() -> Subquery:
    return Subquery(_areas_of_village().order_by("since").values("since")[:1])


TOWN_COLUMNS = (
    Column("区划代码", lambda r: r.code, 14),
    Column("名称", lambda r: r.name, 24),
    Column("县市区", lambda r: _county(r), 12),
    Column("托管功能区", lambda r: r.zone.display_name if r.zone_id else "", 14),
)
VILLAGE_COLUMNS = (
    Column("区划代码", lambda r: r.code, 14),
    Column("名称", lambda r: r.name, 24),
    Column("县市区", lambda r: _county(r), 12),
    Column("乡镇（街道）", lambda r: r.town.display_name if r.town_id else "", 16),
)


# --- people -----------------------------------------------------------------------------------------------------------


def _roles(kind: str) -> Callable[[], QuerySet]:
    def records() -> QuerySet:
        from xinghuo.talent.models import PersonRole

        return PersonRole.unscoped.filter(kind=kind, status="active")

    return records


ROLE_COLUMNS = (
    Column("姓名", lambda r: r.person.name, 12),
    Column("县市区", lambda r: _county(r.person.region), 12),
    Column("所在区划", lambda r: r.person.region.display_name, 16),
    Column("工作单位", lambda r: r.person.organisation.name if r.person.organisation_id else "", 24),
    Column("起始日期", lambda r: r.since, 12),
)


def _listed(kind: str) -> Callable[[], QuerySet]:
    """The people listed (入选) in a published yearly list of this kind, each once, dated by their first listing."""

    def records() -> QuerySet:
        from xinghuo.experts.models import Nomination
        from xinghuo.talent.models import Person

        listings = Nomination.unscoped.filter(person=OuterRef("pk"), status="listed", selection__kind=kind, selection__status="published")
        first = listings.order_by("selection__published_at").values("selection__published_at")[:1]
        return Person.unscoped.filter(Exists(listings)).annotate(listed_at=Subquery(first))

    return records


PERSON_COLUMNS = (
    Column("姓名", lambda p: p.name, 12),
    Column("县市区", lambda p: _county(p.region), 12),
    Column("所在区划", lambda p: p.region.display_name, 16),
    Column("工作单位", lambda p: p.organisation.name if p.organisation_id else "", 24),
    Column("首次入选", lambda p: p.listed_at, 18),
)


def _served_in(year: int) -> Q:
    """A volunteer's role whose person has a confirmed service record dated in the year."""
    from xinghuo.volunteers.models import ServiceRecord

    served = ServiceRecord.unscoped.filter(volunteer=OuterRef("person_id"), status="confirmed", date__year=year)
    return Q(Exists(served))


def _service_records() -> QuerySet:
    from xinghuo.volunteers.models import ServiceRecord

    return ServiceRecord.unscoped.filter(status="confirmed")


RECORD_COLUMNS = (
    Column("服务日期", lambda r: r.date, 12),
    Column("志愿者", lambda r: r.volunteer.name, 12),
    Column("县市区", lambda r: _county(r.volunteer.region), 12),
    Column("服务内容", lambda r: r.content, 30),
    Column("服务时长（小时）", lambda r: r.hours, 12),
    Column("记录单位", lambda r: r.organisation.name if r.organisation_id else "", 24),
)


# --- resources and courses ----------------------------------------------------------------------------------------


def _resources() -> QuerySet:
    from xinghuo.resources.models import Resource

    return Resource.unscoped.filter(status="published")


def _completions() -> QuerySet:
    from xinghuo.resources.models import CourseCompletion

    return CourseCompletion.objects.all()


# --- funded projects (科普项目) ------------------------------------------------------------------------------------------


def _projects_funded() -> QuerySet:
    from xinghuo.projects.models import FUNDED_STATUSES, Project

    return Project.unscoped.filter(status__in=FUNDED_STATUSES)


def _projects_passed() -> QuerySet:
    from xinghuo.projects.models import PASSED_STATUSES, Project

    return Project.unscoped.filter(status__in=PASSED_STATUSES)


PROJECT_COLUMNS = (
    Column("项目编号", lambda p: p.code, 14),
    Column("项目名称", lambda p: p.title, 30),
    Column("县市区", lambda p: _county(p.region), 12),
    Column("申报单位", lambda p: p.applicant.name, 24),
    Column("立项资金（元）", lambda p: p.allocated, 14),
    Column("已支出（元）", lambda p: p.spent, 14),
    Column("状态", lambda p: p.get_status_display(), 10),
)


# --- the work list's filings and supervision ----------------------------------------------------------------------------


def _filings(status: str) -> Callable[[], QuerySet]:
    def records() -> QuerySet:
        from xinghuo.worklist.models import Filing

        return Filing.unscoped.filter(status=status)

    return records


def _reports_overdue() -> QuerySet:
    from django.utils import timezone

    from xinghuo.worklist.models import ProgressReport

    return ProgressReport.unscoped.filter(submitted_at__isnull=True, due__lt=timezone.localdate(), action__task__plan__is_active=True)


def _notices_open() -> QuerySet:
    from xinghuo.worklist.models import SupervisionNotice

    return SupervisionNotice.unscoped.filter(status="open")


FILING_COLUMNS = (
    Column("实施方案名称", lambda f: f.title, 30),
    Column("备案单位", lambda f: f.organisation.name, 24),
    Column("县市区", lambda f: _county(f.organisation.region), 12),
    Column("状态", lambda f: f.get_status_display(), 10),
    Column("提交时间", lambda f: f.submitted_at, 18),
    Column("审核时间", lambda f: f.decided_at, 18),
)


# --- activities, per brand and level ---------------------------------------------------------------------------------

VERIFIED = "verified"  # an activity counts once its report is verified (核验), in the year it started

ACTIVITY_COLUMNS = (
    Column("活动名称", lambda a: a.title, 30),
    Column("开始时间", lambda a: a.starts_at, 18),
    Column("县市区", lambda a: _county(a.region), 12),
    Column("举办地", lambda a: a.region.display_name, 16),
    Column("主办单位", lambda a: a.organiser.name, 24),
    Column("现场参与人次", lambda a: a.attendance, 12),
)


def _activities(brand_id: int, level: str) -> Callable[[], QuerySet]:
    def records() -> QuerySet:
        from xinghuo.activities.models import Activity

        return Activity.unscoped.filter(status=VERIFIED, brand_id=brand_id, level=level)

    return records


def brand_indicators() -> list[Indicator]:
    """One indicator per active brand and level: its verified activities of the year (`activities_<brand>_<level>`)."""
    if not apps.is_installed("xinghuo.activities"):
        return []
    from xinghuo.activities.models import Brand, Level

    out = []
    for brand in Brand.objects.filter(is_active=True).order_by("order", "code"):
        for level in (Level.CITY, Level.GRASSROOTS):
            out.append(Indicator(
                key=f"activities_{brand.code}_{level}", name=f"{brand.name}·{Level(level).label}活动", group=BRANDS,
                source="activities", source_name="科普活动", unit="期", measure=COUNT, records=_activities(brand.pk, level),
                region="region", date="starts_at", per="year", columns=ACTIVITY_COLUMNS, related=("region__county", "organiser"),
                link=_link("activities_console:detail"), brand_id=brand.pk, level=level,
                definition="当年开始、活动情况已核验的活动（按举办地统计）",
            ))  # fmt: skip
    return out


# The families: what the indicators of one source share, so that each declaration says only what is its own.
VENUE = partial(Indicator, group=ARENAS, source="venues", source_name="科普阵地", measure=COUNT, region="region", date="certified_at",
                columns=VENUE_COLUMNS, related=("region__county", "operator"), link=_link("venues_console:detail"))  # fmt: skip
ROLE = partial(Indicator, group=TALENT, unit="名", measure=COUNT, region="person__region", date="since", date_is_datetime=False,
               columns=ROLE_COLUMNS, related=("person__region__county", "person__organisation"), link=_person_link)  # fmt: skip
LISTED = partial(Indicator, group=TALENT, source="experts", source_name="名家库", unit="名", measure=COUNT, region="region",
                 date="listed_at", columns=PERSON_COLUMNS, related=("region__county", "organisation"), link=_person_link,
                 clauses=("X-4.3.2",))  # fmt: skip
PROJECT = partial(Indicator, group=PROJECTS, source="projects", source_name="科普项目", region="region", date_is_datetime=False,
                  per="year", columns=PROJECT_COLUMNS, related=("region__county", "applicant"), link=_link("projects_console:detail"),
                  clauses=("O-5-3", "X-4.1.4"))  # fmt: skip
SUPERVISED = partial(Indicator, group=SUPERVISION, source="worklist", source_name="工作清单与备案", measure=COUNT, public=False)
FILING = partial(SUPERVISED, unit="份", region="organisation__region", columns=FILING_COLUMNS, related=("organisation__region__county",),
                 link=_link("worklist_console:filing"), clauses=("X-5.3",))  # fmt: skip
NO_SOURCE = partial(Indicator, group=MOBILISE, measure=COUNT, records=None)

INDICATORS: list[Indicator] = [
    # 科普阵地
    VENUE(key="spark_halls_certified", name="星火科技馆（已认定）", unit="家", records=_venues("spark_hall"), clauses=("X-1", "X-4.3.1"),
          definition="已认定且未摘牌的星火科技馆（含复核警示）；月度为当年新认定"),
    VENUE(key="service_stations", name="星火科普服务站（已认定）", unit="个", records=_venues("spark_station"), clauses=("X-1",),
          definition="已认定且未摘牌的星火科普服务站（含复核警示）；月度为当年新认定"),
    Indicator(key="towns_with_station", name="建有服务站的乡镇（街道）", group=ARENAS, source="venues", source_name="科普阵地", unit="%",
              measure=RATIO, records=_towns, region="", covered=_town_covered, covered_since=_town_covered_since, columns=TOWN_COLUMNS,
              related=("county", "zone"), clauses=("X-1",),
              definition="辖区内（乡镇本身或其村居）有已认定服务站的乡镇（街道）占全部乡镇（街道）的比例；月度为当年首次覆盖"),
    VENUE(key="education_bases", name="科普教育基地（已认定）", unit="家", records=_venues("education_base"), clauses=("O-4-7", "X-4.3.1"),
          definition="已认定且未摘牌的科普教育基地；月度为当年新认定"),
    # 人才队伍
    Indicator(key="villages_with_promoter", name="有宣传员的社区（村）", group=TALENT, source="promoters", source_name="宣传员", unit="%",
              measure=RATIO, records=_villages, region="", covered=_village_covered, covered_since=_village_covered_since,
              columns=VILLAGE_COLUMNS, related=("county", "town"), clauses=("X-1", "X-4.1.4"),
              definition="有在任宣传员负责的社区（村）占全部社区（村）的比例；月度为当年首次覆盖"),
    ROLE(key="promoters", name="星火科普宣传员", source="promoters", source_name="宣传员", records=_roles("promoter"), clauses=("X-4.3.2",),
         definition="在任的专（兼）职宣传员；月度为当年新任"),
    LISTED(key="chief_experts", name="首席泰山科普名家", records=_listed("chief"),
           definition="入选已公布的首席泰山科普名家年度名单的人数（每人计一次）；月度为当年首次入选"),
    LISTED(key="influencers", name="科普网红达人", records=_listed("influencer"),
           definition="入选已公布的科普网红达人年度名单的人数（每人计一次）；月度为当年首次入选"),
    LISTED(key="outstanding_figures", name="优秀科普人物", records=_listed("outstanding"),
           definition="入选已公布的优秀科普人物年度名单的人数（每人计一次）；月度为当年首次入选"),
    ROLE(key="volunteers_registered", name="注册科技志愿者", source="volunteers", source_name="科技志愿者", records=_roles("volunteer"),
         clauses=("O-4-6", "X-4.3.2"), definition="在册（在任）的科技志愿者；月度为当年新注册"),
    ROLE(key="volunteers_active", name="当年参加服务的志愿者", source="volunteers", source_name="科技志愿者", records=_roles("volunteer"),
         date="", per="year", year_filter=_served_in, clauses=("O-4-6", "X-4.3.2"), definition="在册志愿者中当年有已确认服务记录的人数"),
    Indicator(key="volunteer_hours", name="志愿服务时长", group=TALENT, source="volunteers", source_name="科技志愿者", unit="小时",
              measure=SUM, summed="hours", records=_service_records, region="volunteer__region", date="date", date_is_datetime=False,
              per="year", columns=RECORD_COLUMNS, related=("volunteer__region__county", "organisation"), clauses=("O-4-6", "X-4.3.2"),
              definition="当年已确认的志愿服务记录的时长合计（按志愿者所在区划统计）"),
    ROLE(key="info_officers", name="科普中国信息员", source="officers", source_name="科普信息员", records=_roles("info_officer"),
         clauses=("O-4-6", "X-4.3.2"), definition="在任的科普中国信息员；月度为当年新任"),
    # 科普资源
    Indicator(key="resources_published", name="已发布科普资源", group=RESOURCES, source="resources", source_name="科普资源", unit="件",
              measure=COUNT, records=_resources, region="region", date="published_at",
              columns=(Column("标题", lambda r: r.title, 36), Column("类型", lambda r: r.get_kind_display(), 8),
                       Column("县市区", lambda r: _county(r.region), 12), Column("供稿单位", lambda r: r.organisation.name, 24),
                       Column("发布时间", lambda r: r.published_at, 18)),
              related=("region__county", "organisation"), link=_link("resources_console:detail"), clauses=("X-2.2",),
              definition="审核通过、当前在架的科普资源；月度为当年新发布"),
    Indicator(key="course_completions", name="云课堂学完人次", group=RESOURCES, source="resources", source_name="云课堂", unit="人次",
              measure=COUNT, records=_completions, region="course__region", date="completed_at", per="year",
              columns=(Column("课程", lambda c: c.course.title, 30), Column("县市区", lambda c: _county(c.course.region), 12),
                       Column("开课单位", lambda c: c.course.organisation.name, 24), Column("完成时间", lambda c: c.completed_at, 18)),
              related=("course__region__county", "course__organisation"), clauses=("X-2.3", "O-4-3"),
              definition="当年学完云课堂课程的人次（按课程所属区划统计；学员信息不在此显示）"),
    # 科普项目
    PROJECT(key="projects_funded", name="立项的科普项目", unit="个", measure=COUNT, records=_projects_funded, date="allocated_on",
            definition="当年立项（获得资金）的科普项目，按立项日期统计"),
    PROJECT(key="project_funds", name="科普项目立项资金", unit="元", measure=SUM, summed="allocated", records=_projects_funded,
            date="allocated_on", public=False, definition="当年立项的科普项目的立项资金合计（元）"),
    PROJECT(key="projects_accepted", name="通过验收的科普项目", unit="个", measure=COUNT, records=_projects_passed, date="accepted_on",
            definition="当年验收通过的科普项目（含其后已评价的），按验收日期统计"),
    # 工作督办
    FILING(key="filings_accepted", name="已备案的实施方案", records=_filings("accepted"), date="decided_at",
           definition="县市区、功能区科协报市科协备案并已通过的实施方案；月度为当年通过"),
    FILING(key="filings_waiting", name="待市科协审核的实施方案", records=_filings("submitted"), date="submitted_at",
           definition="已提交、等待市科协审核的实施方案"),
    SUPERVISED(key="reports_overdue", name="逾期未报的进展报送", unit="份", records=_reports_overdue, region="action__organisation__region",
               date="due", date_is_datetime=False,
               columns=(Column("任务", lambda r: f"{r.action.task.code} {r.action.task.title}", 30),
                        Column("负责单位", lambda r: r.action.organisation.name, 24),
                        Column("县市区", lambda r: _county(r.action.organisation.region), 12), Column("报送期", lambda r: r.period, 10),
                        Column("报送截止", lambda r: r.due, 12)),
               related=("action__task", "action__organisation__region__county"), clauses=("O-5-3", "X-5.3"),
               definition="执行中方案的任务截止日已过仍未报送的进展报送；月度为截止日所在月"),
    SUPERVISED(key="notices_open", name="待回复的督办", unit="件", records=_notices_open, region="organisation__region", date="created_at",
               columns=(Column("督办事项", lambda n: n.text, 36), Column("督办对象", lambda n: n.organisation.name, 24),
                        Column("县市区", lambda n: _county(n.organisation.region), 12), Column("回复期限", lambda n: n.answer_by, 12)),
               related=("organisation__region__county",), clauses=("O-5-3",), definition="市科协发出、对方尚未回复的督办；月度为当年发出"),
    # 社会动员: the modules not built yet
    NO_SOURCE(key="organisations_evaluated", name="完成社会科普责任评估的单位", source="evaluations", source_name="社会科普责任评估",
              unit="家", region="organisation__region", clauses=("X-4.3.3", "O-5-3"),
              definition="参加社会科普责任评估并公布结果的科普阵地、社会团体和组织"),
    NO_SOURCE(key="contest_works", name="科普创作大赛参赛作品", source="contests", source_name="科普创作大赛", unit="件", region="region",
              per="year", clauses=("O-4-5", "X-4.1.2"), definition="当年科普创作大赛和作品征集收到的有效作品"),
    NO_SOURCE(key="quiz_participants", name="科学素质网络知识竞赛参赛人次", source="quiz", source_name="知识竞赛", unit="人次",
              region="region", per="year", clauses=("O-4-1-2",), definition="当年参加科学素质网络知识竞赛的人次"),
]  # fmt: skip

#: the modules the plans call for that the platform does not have yet: their indicators show "no data source"
SOURCES_PLANNED = ("evaluations", "contests", "quiz")
