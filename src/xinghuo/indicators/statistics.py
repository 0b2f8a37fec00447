"""The yearly 全国科普统计调查 (national science-popularisation statistics survey of the Ministry of Science and
Technology, 科技部) as far as the platform's records can fill it in, for a scope and a year.

The survey's categories, as the ministry's yearly releases report them: 科普人员 (full- and part-time staff, registered
volunteers, staff with a middle title or a degree, writers, guides), 科普场地 (science museums, science and technology
museums, youth centres, community activity rooms and rural activity sites, science vans, public display boards),
科普经费 (funds raised: government grants, donations, own funds; funds spent: activities, venue building, exhibits;
funds per head), 科普传媒 (books, periodicals, newspapers, audio-visual, television and radio hours, websites and new
media), 科普活动 (lectures, exhibitions, contests, 科技活动周, youth science groups, summer and winter camps, training,
international exchange) and the research facilities opened to the public with science popularisation in innovation
and entrepreneurship (科研机构和大学向社会开放, 众创空间). Sources: 科技部《2018年度全国科普统计数据》 (科技日报,
2019-12-25: 科普经费、科普场馆、科普专职人员、科研设施开放、网络化科普传媒、众创空间与创新创业培训), 《2020年度全国科普统计数据》
(科技日报, 2021-11-23: 科普(技)讲座、专题展览、竞赛，线上线下), 《2021年度》 and 《2022年度全国科普统计数据》 (注册科普志愿者、
城市社区科普(技)专用活动室、农村科普(技)活动场地、电视广播科普节目时长、科普期刊). The survey's own forms were not at hand:
the items below are those releases' items, not the form's line numbers.

Every figure is counted from the records here, with how it is counted; an item the records cannot supply is listed
with the reason (记录中无此数据), never estimated. Funds come from the funded projects (科普项目) when that module is
installed, and are listed as missing otherwise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from xinghuo.core.excel import Column, Sheet
from xinghuo.regions.models import Region

MISSING = "记录中无此数据"

PEOPLE, SITES, FUNDS, MEDIA, ACTIVITIES, OPENING = "科普人员", "科普场地", "科普经费", "科普传媒", "科普活动", "科研设施开放与创新创业"
CATEGORIES = (PEOPLE, SITES, FUNDS, MEDIA, ACTIVITIES, OPENING)


@dataclass(frozen=True)
class Item:
    """One survey item: the figure the records give and how, or None and why not."""

    category: str
    name: str
    unit: str
    value: Decimal | int | None
    how: str  # how the figure is counted; for a missing item, why the records cannot supply it

    @property
    def missing(self) -> bool:
        return self.value is None

    @property
    def shown(self) -> str:
        if self.value is None:
            return MISSING
        if isinstance(self.value, Decimal):
            return f"{self.value:,.2f}" if self.value != self.value.to_integral() else f"{int(self.value):,}"
        return f"{self.value:,}"


@dataclass(frozen=True)
class Category:
    name: str
    items: list[Item]

    @property
    def supplied(self) -> list[Item]:
        return [i for i in self.items if not i.missing]

    @property
    def missing(self) -> list[Item]:
        return [i for i in self.items if i.missing]


@dataclass(frozen=True)
class Survey:
    within: Region
    year: int
    categories: list[Category]

    @property
    def items(self) -> list[Item]:
        return [i for c in self.categories for i in c.items]

    def item(self, name: str) -> Item:
        return next(i for i in self.items if i.name == name)


def _gap(category: str, name: str, unit: str, why: str) -> Item:
    return Item(category, name, unit, None, why)


def _year_span(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _in_year(path: str, year: int) -> Q:
    start, end = _year_span(year)
    return Q(**{f"{path}__gte": start, f"{path}__lt": end})


def _sum(qs: QuerySet, name: str) -> int | Decimal:
    return qs.aggregate(v=Sum(name))["v"] or 0


# --- 科普人员 ---------------------------------------------------------------------------------------------------------

SCIENCE_ROLES = ("expert", "influencer", "outstanding", "promoter", "info_officer", "vice_principal", "counsellor")


def roles_at_year_end(within: Region, year: int, kinds: tuple[str, ...]) -> QuerySet:
    """The roles of these kinds held at the year's end (for the current year: today), by people of the scope."""
    from xinghuo.talent.models import PersonRole

    end = date(year, 12, 31)
    return PersonRole.unscoped.filter(within.subtree_q("person__region"), kind__in=kinds, since__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=end)
    )


def _people(within: Region, year: int) -> list[Item]:
    c = PEOPLE
    held = "年末在任"
    staff = roles_at_year_end(within, year, SCIENCE_ROLES)
    people = staff.values("person_id").distinct()
    women = staff.filter(person__gender="female").values("person_id").distinct()

    def role(kinds: tuple[str, ...]) -> int:
        return roles_at_year_end(within, year, kinds).values("person_id").distinct().count()

    return [
        _gap(c, "科普专职人员", "人", "人员库记录人员的角色（名家、宣传员、信息员等），不记录专职或兼职"),
        _gap(c, "科普兼职人员", "人", "同上：不区分专职、兼职"),
        Item(c, "在册科普人员（不分专兼职）", "人", people.count(),
             "人员库中年末在任（当年为截至今日；按角色的起始和停用日期）担任名家库专家、科普网红达人、优秀科普人物、星火科普宣传员、科普中国信息员、科技副校长或科技辅导员的人数，"
             "一人多角色计一次；不含志愿者和评审专家"),
        Item(c, "其中：女性", "人", women.count(), "上项人员中性别登记为女的人数"),
        Item(c, "其中：名家库专家", "人", role(("expert",)), f"{held}的名家库专家"),
        Item(c, "其中：星火科普宣传员", "人", role(("promoter",)), f"{held}的星火科普宣传员（专兼职不分）"),
        Item(c, "其中：科普中国信息员", "人", role(("info_officer",)), f"{held}的科普中国信息员"),
        Item(c, "其中：科技副校长、科技辅导员", "人", role(("vice_principal", "counsellor")), f"{held}的科技副校长和科技辅导员，一人计一次"),
        Item(c, "注册科普（技）志愿者", "人", role(("volunteer",)), f"{held}的注册科技志愿者"),
        _gap(c, "中级职称及以上或大学本科及以上学历人员", "人", "人员库的职称为自由填写，且不记录学历"),
        _gap(c, "科普创作（研发）人员", "人", "人员库不记录人员的科普岗位"),
        _gap(c, "科普讲解（辅导）人员", "人", "人员库不记录人员的科普岗位"),
        _gap(c, "农村科普人员", "人", "人员的所在区划到社区（村），平台不区分城乡"),
    ]  # fmt: skip


# --- 科普场地 ---------------------------------------------------------------------------------------------------------

CERTIFIED_TYPES = ("spark_hall", "spark_station", "education_base")  # these count once certified (as the indicators do)
HOLDING = ("certified", "warned")  # certified and not revoked (a warned one keeps its plaque until revoked)
STANDING = ("registered", *HOLDING)  # the other types: listed on the map, registered or certified


def venues_at_year_end(within: Region, year: int, venue_type: str) -> QuerySet:
    """The venues of a type standing now that stood at the year's end: for 星火科技馆, service stations and education
    bases those certified by then and not revoked since; for the other types those listed (registered or certified)."""
    from xinghuo.venues.models import Venue

    _, end = _year_span(year)
    if venue_type in CERTIFIED_TYPES:
        return Venue.unscoped.filter(within.subtree_q("region"), venue_type=venue_type, status__in=HOLDING, certified_at__lt=end)
    return Venue.unscoped.filter(within.subtree_q("region"), venue_type=venue_type, status__in=STANDING).filter(
        Q(certified_at__isnull=True) | Q(certified_at__lt=end)
    )


def _by_subtype(qs: QuerySet) -> str:
    from xinghuo.venues.models import SUBTYPE_LABELS

    rows = qs.values("subtype").annotate(n=Count("pk")).order_by("subtype")
    parts = [f"{SUBTYPE_LABELS.get(r['subtype'], '未分类')} {r['n']}" for r in rows]
    return "；按类型：" + "、".join(parts) if parts else ""


def museum_visitors(within: Region, year: int) -> int:
    from xinghuo.venues.models import Booking

    visits = Booking.unscoped.filter(within.subtree_q("slot__venue__region"), slot__venue__venue_type="science_museum", status="attended")
    return int(_sum(visits.filter(_in_year("slot__starts_at", year)), "party_size"))


def _sites(within: Region, year: int) -> list[Item]:
    c = SITES
    listed = "在平台登记在册、未关闭的"
    certified = "已认定且未摘牌（含复核警示）、认定不晚于当年年末的"
    museums = venues_at_year_end(within, year, "science_museum")
    stations = venues_at_year_end(within, year, "spark_station")
    halls = venues_at_year_end(within, year, "spark_hall")
    return [
        Item(c, "科技馆", "个", museums.count(), f"{listed}科技馆（市级、县级）"),
        Item(c, "科技馆面积", "平方米", int(_sum(museums, "area_sqm")), "上项科技馆登记的面积合计（平台不分建筑面积和展厅面积）"),
        Item(c, "科技馆参观人次", "人次", museum_visitors(within, year),
             "当年通过平台预约、签到到场的参观人数（不含未经平台预约的参观者）"),
        _gap(c, "科学技术类博物馆", "个", "平台的场馆类型中没有科学技术类博物馆"),
        _gap(c, "青少年科技馆站", "个", "平台的场馆类型中没有青少年科技馆站"),
        Item(c, "科普教育基地", "个", venues_at_year_end(within, year, "education_base").count(), f"{certified}科普教育基地"),
        _gap(c, "城市社区科普（技）专用活动室", "个", "服务站设在党群服务中心、新时代文明实践中心（站）和科技小院，平台不区分城市社区与农村"),
        _gap(c, "农村科普（技）活动场地", "个", "同上：不区分城乡"),
        Item(c, "星火科普服务站（参照社区、农村科普活动场地）", "个", stations.count(),
             f"{certified}星火科普服务站{_by_subtype(stations)}"),
        Item(c, "星火科技馆（本市的科普场馆类型）", "个", halls.count(), f"{certified}星火科技馆{_by_subtype(halls)}"),
        _gap(c, "科普宣传专用车", "辆", "平台不登记流动科普设施"),
        _gap(c, "科普画廊（公共场所科普宣传设施）", "个", "平台不登记公共场所的科普宣传设施"),
    ]  # fmt: skip


# --- 科普经费 ---------------------------------------------------------------------------------------------------------

FUND_ITEMS = (
    ("年度科普经费筹集额", "元"),
    ("其中：政府拨款", "元"),
    ("其中：捐赠", "元"),
    ("其中：自筹资金", "元"),
    ("科普活动支出", "元"),
    ("科普场馆基建支出", "元"),
    ("科普展品、设施支出", "元"),
)


def _funds(within: Region, year: int) -> list[Item]:
    c = FUNDS
    per_head = _gap(c, "人均科普专项经费", "元", "需要常住人口数，平台没有人口数据")
    if not apps.is_installed("xinghuo.projects"):
        why = "科普项目模块未启用，平台没有经费记录"
        return [*(_gap(c, name, unit, why) for name, unit in FUND_ITEMS), per_head]
    try:
        funded = _projects(within, year)
    except (LookupError, FieldDoesNotExist, FieldError):
        why = "科普项目的记录中没有可用的立项资金字段"
        return [*(_gap(c, name, unit, why) for name, unit in FUND_ITEMS), per_head]
    why = "科普项目只记录市县科协资助的项目，不是本地区全部科普经费"
    return [
        Item(c, "科普项目立项资金", "元", funded["allocated"],
             f"当年立项（立项日期在当年）的科普项目的立项资金合计，共 {funded['count']} 个项目{funded['by_category']}"),
        Item(c, "科普项目已支出", "元", funded["spent"], "上项项目截至统计时已报告的支出合计"),
        *(_gap(c, name, unit, why) for name, unit in FUND_ITEMS),
        per_head,
    ]  # fmt: skip


def _projects(within: Region, year: int) -> dict[str, Any]:
    """The funded projects allocated in the year in the scope (xinghuo.projects, read only when installed)."""
    project = apps.get_model("projects", "Project")
    for name in ("region", "allocated", "allocated_on", "spent"):
        project._meta.get_field(name)
    qs = project.unscoped if hasattr(project, "unscoped") else project.objects
    funded = qs.filter(within.subtree_q("region"), allocated__isnull=False, allocated_on__year=year)
    by_category = ""
    try:
        field = project._meta.get_field("category")
    except FieldDoesNotExist:
        field = None
    if field is not None:
        labels = dict(field.choices or ())
        rows = funded.values("category").annotate(v=Sum("allocated")).order_by("category")
        by_category = "；按类别：" + "、".join(f"{labels.get(r['category'], r['category'])} {r['v']:,.2f} 元" for r in rows) if rows else ""
    return {
        "allocated": _sum(funded, "allocated"),
        "spent": _sum(funded, "spent"),
        "count": funded.count(),
        "by_category": by_category,
    }


# --- 科普传媒 ---------------------------------------------------------------------------------------------------------


def published_resources(within: Region, year: int, kinds: tuple[str, ...]) -> QuerySet:
    from xinghuo.resources.models import Resource

    return Resource.unscoped.filter(within.subtree_q("region"), status="published", kind__in=kinds).filter(_in_year("published_at", year))


def _media(within: Region, year: int) -> list[Item]:
    c = MEDIA
    from xinghuo.experts.models import InfluencerAccount
    from xinghuo.officers.models import MonthlyFigures
    from xinghuo.resources.models import CourseCompletion

    months = MonthlyFigures.unscoped.filter(within.subtree_q("officer__person__region"), year=year)
    spread = months.aggregate(shares=Sum("shares"), reads=Sum("reads"))
    accounts = InfluencerAccount.unscoped.filter(within.subtree_q("person__region"))
    completions = CourseCompletion.objects.filter(within.subtree_q("course__region")).filter(_in_year("completed_at", year))
    reviewed = "当年审核发布、现仍在架的"
    return [
        Item(c, "科普图书", "种", published_resources(within, year, ("book",)).count(), f"{reviewed}图书类科普资源（种）"),
        _gap(c, "科普图书发行量", "册", "平台只记录图书资源，不记录出版和发行册数"),
        _gap(c, "科普期刊", "种", "平台的资源类型中没有期刊"),
        _gap(c, "科技类报纸科普版面", "种", "平台不记录报纸"),
        _gap(c, "电视台播出科普（技）节目时长", "小时", "平台不记录电视播出"),
        _gap(c, "广播电台播出科普（技）节目时长", "小时", "平台不记录广播播出"),
        Item(c, "科普视频、音频（新媒体科普作品）", "个", published_resources(within, year, ("video", "audio")).count(),
             f"{reviewed}视频和音频资源"),
        Item(c, "科普图文（新媒体科普文章）", "篇", published_resources(within, year, ("article",)).count(), f"{reviewed}图文资源"),
        Item(c, "科普新媒体账号", "个", accounts.count(), "科普网红达人登记的各平台账号（抖音、快手、视频号等），截至统计时"),
        _gap(c, "科普网站", "个", "平台不登记各单位的科普网站"),
        Item(c, "网络科普传播：转发（分享）次数", "次", int(spread["shares"] or 0), "科普中国信息员当年各月填报的转发、分享次数合计"),
        Item(c, "网络科普传播：阅读量", "次", int(spread["reads"] or 0), "科普中国信息员当年各月填报的阅读量合计"),
        Item(c, "云课堂学完人次", "人次", completions.count(), "当年学完云课堂课程的人次（按课程所属区划）"),
    ]  # fmt: skip


# --- 科普活动 ---------------------------------------------------------------------------------------------------------

LECTURE_BRANDS = ("dongyue_forum", "expert_roadshow")  # 东岳星空科普讲坛, 科创专家讲科普（路演式）
EXHIBITION_BRANDS = ("mobile_museum",)  # 流动科技馆进基层（巡展）
WEEK_BRANDS = ("tech_week",)  # 科技活动周
SCIENCE_DAY_BRANDS = ("science_day", "science_month")  # 全国科普日、全国科普月
OPEN_DAY_BRANDS = ("open_day",)  # 开放日


def verified_activities(within: Region, year: int) -> QuerySet:
    """The activities held in the scope that started in the year and whose report is verified (核验)."""
    from xinghuo.activities.models import Activity

    return Activity.unscoped.filter(within.subtree_q("region"), status="verified").filter(_in_year("starts_at", year))


def lectures(within: Region, year: int) -> QuerySet:
    """Lectures: the lecture brands' activities, and the talks ordered through 点单式科普 (each became an activity)."""
    qs = verified_activities(within, year)
    if apps.is_installed("xinghuo.talks"):
        return qs.filter(Q(brand__code__in=LECTURE_BRANDS) | Q(talk_request__isnull=False))
    return qs.filter(brand__code__in=LECTURE_BRANDS)


def _reach(qs: QuerySet) -> int:
    found = qs.aggregate(a=Sum("attendance"), o=Sum("online_views"))
    return int((found["a"] or 0) + (found["o"] or 0))


def _activities(within: Region, year: int) -> list[Item]:
    c = ACTIVITIES
    from xinghuo.tours.models import RouteBooking

    done = verified_activities(within, year)
    online = done.filter(format__in=("online", "both"))
    talks = lectures(within, year)
    shows = done.filter(brand__code__in=EXHIBITION_BRANDS)
    week = done.filter(brand__code__in=WEEK_BRANDS)
    days = done.filter(brand__code__in=SCIENCE_DAY_BRANDS)
    tours = RouteBooking.unscoped.filter(within.subtree_q("route__region"), status="completed", date__year=year)
    verified = "当年开始、活动情况已核验的"
    reach = "现场参与人次与线上观看人次之和（按核验的活动情况）"
    return [
        Item(c, "科普活动", "次", done.count(), f"{verified}科普活动（按举办地统计，各品牌和自主活动）"),
        Item(c, "其中：线上或线上线下结合", "次", online.count(), "上项活动中形式为线上或线上线下结合的"),
        Item(c, "科普活动现场参与人次", "人次", int(_sum(done, "attendance")), "上项活动核验的现场参与人次合计"),
        Item(c, "科普活动线上观看人次", "人次", int(_sum(done, "online_views")), "上项活动核验的线上观看人次合计"),
        Item(c, "科普（技）讲座", "次", talks.count(), f"{verified}东岳星空科普讲坛、科创专家讲科普活动和点单式科普讲座"),
        Item(c, "科普（技）讲座参加人次", "人次", _reach(talks), f"上项讲座的{reach}"),
        Item(c, "科普（技）专题展览", "次", shows.count(), f"{verified}流动科技馆进基层巡展"),
        Item(c, "科普（技）专题展览参观人次", "人次", _reach(shows), f"上项展览的{reach}"),
        _gap(c, "科普（技）竞赛", "次", "科学素质网络知识竞赛和科普创作大赛的模块尚未建成，活动不记录竞赛类型"),
        Item(c, "科技活动周专题活动", "次", week.count(), f"{verified}科技活动周品牌活动"),
        Item(c, "科技活动周参加人次", "人次", _reach(week), f"上项活动的{reach}"),
        Item(c, "全国科普日（科普月）活动", "次", days.count(), f"{verified}全国科普日、全国科普月品牌活动"),
        Item(c, "科普研学参加人次", "人次", int(_sum(tours, "party_size")), "当年完成的科普欢乐游研学线路预约的人数合计"),
        _gap(c, "青少年科技兴趣小组", "个", "平台不登记学校的科技兴趣小组"),
        _gap(c, "科技夏（冬）令营", "次", "活动不记录夏（冬）令营类型"),
        _gap(c, "实用技术培训", "次", "活动不记录培训类型"),
        _gap(c, "国际科普交流", "次", "平台不记录国际交流"),
    ]  # fmt: skip


# --- 科研设施开放与创新创业 -----------------------------------------------------------------------------------------------


def _opening(within: Region, year: int) -> list[Item]:
    c = OPENING
    open_days = verified_activities(within, year).filter(brand__code__in=OPEN_DAY_BRANDS)
    listed = "在平台登记在册、未关闭的"
    return [
        Item(c, "向社会开放的实验室", "个", venues_at_year_end(within, year, "open_lab").count(), f"{listed}开放实验室"),
        Item(c, "企业科普展厅", "个", venues_at_year_end(within, year, "enterprise_hall").count(), f"{listed}企业展厅"),
        Item(c, "开放日活动", "次", open_days.count(), "当年开始、活动情况已核验的开放日品牌活动（场馆、实验室、企业展厅向公众开放）"),
        Item(c, "开放日参观人次", "人次", _reach(open_days), "上项活动的现场参与人次与线上观看人次之和"),
        _gap(c, "向社会开放的科研机构和大学", "个", "平台不区分开放单位的性质（科研机构、大学）"),
        _gap(c, "举办科普活动的众创空间", "个", "平台不登记众创空间"),
        _gap(c, "创新创业培训、赛事", "次", "活动不记录创新创业培训或赛事类型"),
    ]


SECTIONS: tuple[tuple[str, Callable[[Region, int], list[Item]]], ...] = (
    (PEOPLE, _people),
    (SITES, _sites),
    (FUNDS, _funds),
    (MEDIA, _media),
    (ACTIVITIES, _activities),
    (OPENING, _opening),
)


def survey(*, within: Region, year: int) -> Survey:
    """The survey's figures the records supply for a scope and a year, by category, with the missing items."""
    return Survey(within=within, year=year, categories=[Category(name, build(within, year)) for name, build in SECTIONS])


# --- its Excel --------------------------------------------------------------------------------------------------------


def _cell(item: Item) -> Any:
    if item.value is None:
        return MISSING
    if isinstance(item.value, Decimal):
        return int(item.value) if item.value == item.value.to_integral() else float(item.value)
    return item.value


SURVEY_COLUMNS = [
    Column("类别", lambda i: i.category, 14),
    Column("调查项目", lambda i: i.name, 34),
    Column("单位", lambda i: i.unit, 8),
    Column("数值", _cell, 14),
    Column("取数口径 / 缺失原因", lambda i: i.how, 80),
]


def survey_sheets(result: Survey) -> list[Sheet]:
    return [
        Sheet("科普统计", SURVEY_COLUMNS, result.items),
        Sheet("缺失项目", SURVEY_COLUMNS, [i for i in result.items if i.missing]),
    ]


def survey_filename(result: Survey) -> str:
    return f"全国科普统计调查-{result.within.display_name}-{result.year}"
