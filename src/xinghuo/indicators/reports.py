"""Reports of the indicators: the Excel workbook of every indicator table, and the printable progress report of a
period (进展报告).

The workbook has three sheets, all of one scope and one year, all from the board's figures (selectors.board):

    汇总        every indicator: group, name, clauses, target, figure, state, definition
    分县市区    indicator × county (or town) with the scope's own level (市本级) and the total
    分月        indicator × the twelve months (a yearly indicator's records, a standing one's additions)

The progress report is of a year, a quarter (`Q3`) or a month (`m9`) of it. The registry computes a year; a period's
figures are summed from the figure's months: for a yearly indicator the period's records (本期) and the year to the
end of the period (年度累计), which the target and the gap are read against; for a standing indicator (venues,
people, coverage) the period's additions and the figure as it stands on the day of the report. An indicator counted
by year only (no date to place a record in a month) shows its year's figure. Beside the figures: the work list's
progress in the scope with the tasks behind (滞后), the counties' filings by status, the overdue progress reports and
the open supervision notices."""

from __future__ import annotations

import calendar
import dataclasses
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone

from xinghuo.accounts.actor import Actor
from xinghuo.core.errors import DomainError
from xinghuo.core.excel import Column, Sheet
from xinghuo.indicators.errors import IndicatorError as E
from xinghuo.indicators.registry import RATIO, Buckets, Figure, Part
from xinghuo.indicators.selectors import Board, clauses_of
from xinghuo.regions.models import Region, RegionLevel

STATE_LABELS = {
    "met": "达标",
    "over": "超出目标上限",
    "behind": "滞后",
    "no_target": "无目标",
    "no_data": "无数据来源",
    "city_target": "无县级目标",
}


def state_label(figure: Figure) -> str:
    return STATE_LABELS[figure.state]


def gap_text(figure: Figure) -> str:
    return figure.gap


def number(value: Decimal | int | None) -> int | float | None:
    """A figure as a spreadsheet number: whole numbers as int, others as float; None stays empty."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    return value


def show(value: Decimal | int | float | None) -> str:
    """A figure as text: whole numbers without decimals, others to one decimal."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = number(value)
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def part_text(part: Part) -> str:
    """A coverage bucket as the dashboard shows it: covered/all (rate)."""
    rate = part.rate
    return f"{part.value}/{part.total}（{rate:.1%}）" if rate is not None else f"{part.value}/{part.total}"


def part_value(figure: Figure, part: Part | None) -> Any:
    if not figure.available:
        return None
    if part is None:
        return "0/0" if figure.indicator.measure == RATIO else 0
    return part_text(part) if figure.indicator.measure == RATIO else number(part.value)


# --- the workbook ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    key: int | None  # a region's pk; None: the scope's own level
    label: str


def buckets(within: Region) -> list[Bucket]:
    """The columns of the breakdown, as the registry's parts: every county (town) of the scope in code order, for a
    city its zones' own records (高新区本级), then the scope's own level."""
    return [Bucket(key, label) for key, label, _ in Buckets.of(within).columns(within)]


def _clause_codes(figure: Figure) -> str:
    return "、".join(c.code for c in clauses_of(figure.indicator)) or "、".join(figure.indicator.clauses)


def summary_columns(within: Region) -> list[Column]:
    return [
        Column("分组", lambda f: f.indicator.group, 10),
        Column("指标", lambda f: f.indicator.name, 30),
        Column("方案条款", _clause_codes, 16),
        Column("单位", lambda f: f.indicator.unit, 6),
        Column("目标" if within.level == RegionLevel.CITY else "全市目标", lambda f: f.target.label if f.target else "", 12),
        Column("完成值", lambda f: number(f.value), 10),
        Column("总数（覆盖率的分母）", lambda f: f.total if f.available and f.indicator.measure == RATIO else None, 12),
        Column("完成情况", lambda f: f.display, 18),
        Column("差距", gap_text, 12),
        Column("状态", state_label, 10),
        Column("数据来源", lambda f: f.indicator.source_name, 12),
        Column("统计口径", lambda f: f.indicator.definition, 60),
    ]


def breakdown_columns(within: Region) -> list[Column]:
    def cell(bucket: Bucket) -> Column:
        def value(figure: Figure) -> Any:
            found = next((p for p in figure.parts if p.key == bucket.key), None)
            return part_value(figure, found)

        return Column(bucket.label, value, 12)

    return [
        Column("分组", lambda f: f.indicator.group, 10),
        Column("指标", lambda f: f.indicator.name, 30),
        Column("单位", lambda f: f.indicator.unit, 6),
        *(cell(b) for b in buckets(within)),
        Column("合计", lambda f: (f.display if f.indicator.measure == RATIO else number(f.value)) if f.available else "无数据来源", 14),
    ]


def month_columns() -> list[Column]:
    def cell(month: int) -> Column:
        def value(figure: Figure) -> Any:
            found = next((p for p in figure.months if p.key == month), None)
            return None if found is None else number(found.value)

        return Column(f"{month}月", value, 8)

    def note(figure: Figure) -> str:
        if not figure.available:
            return "无数据来源"
        if not figure.months:
            return "只按年度统计，不分月"
        return "当年的记录" if figure.indicator.yearly else "当年新增（现有数见汇总表）"

    return [
        Column("分组", lambda f: f.indicator.group, 10),
        Column("指标", lambda f: f.indicator.name, 30),
        Column("单位", lambda f: f.indicator.unit, 6),
        *(cell(m) for m in range(1, 13)),
        Column("全年合计", lambda f: number(months_sum(f, range(1, 13))) if f.months else None, 10),
        Column("说明", note, 24),
    ]


def workbook_sheets(board: Board) -> list[Sheet]:
    figures = board.figures
    return [
        Sheet("汇总", summary_columns(board.within), figures),
        Sheet("分县市区" if board.within.level == RegionLevel.CITY else "分乡镇（街道）", breakdown_columns(board.within), figures),
        Sheet("分月", month_columns(), figures),
    ]


def workbook_filename(board: Board) -> str:
    return f"指标报表-{board.within.display_name}-{board.year}"


# --- periods -------------------------------------------------------------------------------------------------------

QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
PERIOD_ERROR = "报告期应为全年（留空）、季度（Q1–Q4）或月份（m1–m12）"


@dataclass(frozen=True)
class Period:
    """A year, or a quarter or a month of it."""

    year: int
    code: str  # "" the whole year, "Q1".."Q4", "m1".."m12"
    months: tuple[int, ...]

    @property
    def whole_year(self) -> bool:
        return not self.code

    @property
    def label(self) -> str:
        if self.whole_year:
            return f"{self.year}年全年"
        if self.code.startswith("Q"):
            return f"{self.year}年{QUARTERS[int(self.code[1]) - 1]}"
        return f"{self.year}年{self.months[0]}月"

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        last = self.months[-1]
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def to_date(self) -> range:
        """The months from January to the end of the period (the year's cumulative figure)."""
        return range(1, self.months[-1] + 1)


def parse_period(year: int, code: str) -> Period:
    """`""` (the year), `Q1`–`Q4` or `m1`–`m12` (case-insensitive); anything else is refused with a Chinese message."""
    text = (code or "").strip()
    if not text:
        return Period(year, "", tuple(range(1, 13)))
    upper = text.upper()
    if len(upper) == 2 and upper[0] == "Q" and upper[1] in "1234":
        q = int(upper[1])
        return Period(year, upper, tuple(range(3 * q - 2, 3 * q + 1)))
    if upper[:1] == "M" and upper[1:].isdecimal() and 1 <= int(upper[1:]) <= 12:
        month = int(upper[1:])
        return Period(year, f"m{month}", (month,))
    raise DomainError(E.INVALID, PERIOD_ERROR, field="period")


def months_sum(figure: Figure, months: Any) -> Decimal | int:
    wanted = set(months)
    zero: Decimal | int = Decimal(0) if isinstance(figure.value, Decimal) else 0
    return sum((p.value for p in figure.months if p.key in wanted), zero)


# --- the progress report -------------------------------------------------------------------------------------------------


@dataclass
class PeriodRow:
    """One indicator in the report: its period figure, the figure the target is read against, and its breakdown."""

    figure: Figure  # the year's figure as computed (standing ones: as of today)
    measured: Figure  # the figure the target is read against: the year to the period's end, or what stands today
    period_value: Decimal | int | None  # the period's records (yearly) or additions (standing); None: not by month
    note: str = ""

    @property
    def indicator(self) -> Any:
        return self.figure.indicator

    @property
    def period_display(self) -> str:
        if not self.figure.available:
            return "—"
        if self.period_value is None:
            return "—"
        return show(self.period_value)

    @property
    def state(self) -> str:
        return state_label(self.measured)

    @property
    def gap(self) -> str:
        return gap_text(self.measured)


def period_row(figure: Figure, period: Period) -> PeriodRow:
    if not figure.available:
        return PeriodRow(figure, figure, None, "无数据来源")
    if figure.indicator.yearly:
        if not figure.months:  # counted by year, with no date that places a record in a month
            value = figure.value if period.whole_year else None
            return PeriodRow(figure, figure, value, "" if period.whole_year else "只按年度统计：累计为全年数")
        to_date = months_sum(figure, period.to_date)
        measured = dataclasses.replace(figure, value=to_date)
        return PeriodRow(figure, measured, months_sum(figure, period.months))
    added = months_sum(figure, period.months) if figure.months else None
    return PeriodRow(figure, figure, added, "" if figure.months else "现有数（不分月）")


@dataclass
class BreakdownTable:
    columns: list[Bucket]
    rows: list[tuple[Figure, list[tuple[str, str]]]]  # each cell: the figure, and for a coverage its rate


def breakdown_tables(within: Region, figures: list[Figure], width: int = 10) -> list[BreakdownTable]:
    """Indicator × county (town) tables of at most `width` columns each, as even as can be (a county's towns run to
    twenty: three tables of seven rather than two of ten and one of one)."""
    columns = buckets(within)
    shown = [f for f in figures if f.available]
    count = -(-len(columns) // width)
    size = -(-len(columns) // count)
    tables = []
    for start in range(0, len(columns), size):
        chunk = columns[start : start + size]
        rows = []
        for figure in shown:
            by_key = {p.key: p for p in figure.parts}
            cells = []
            for bucket in chunk:
                part = by_key.get(bucket.key)
                if figure.indicator.measure == RATIO:
                    rate = part.rate if part is not None else None
                    cells.append((f"{part.value}/{part.total}" if part else "0/0", "" if rate is None else f"{rate:.1%}"))
                else:
                    cells.append((show(part.value if part else 0), ""))
            rows.append((figure, cells))
        tables.append(BreakdownTable(chunk, rows))
    return tables


@dataclass
class Section:
    group: str
    rows: list[PeriodRow]
    tables: list[BreakdownTable]


@dataclass
class PlanProgress:
    plan: Any
    progress: Decimal | None
    tasks: list[Any]  # the plan's top tasks (selectors.Node), rolled up over the scope's actions

    @property
    def percent(self) -> str:
        return "—" if self.progress is None else f"{self.progress:.0f}%"


@dataclass
class FilingRow:
    organisation: str
    counts: dict[str, int] = field(default_factory=dict)
    missing: int = 0  # active plans the unit has not filed for
    cells: list[int] = field(default_factory=list)  # the counts in the order of the statuses shown


@dataclass
class ReportContext:
    within: Region
    period: Period
    board: Board
    sections: list[Section]
    plans: list[PlanProgress]
    lagging: list[Any]  # the scope's actions marked 滞后
    filings: list[FilingRow]
    filing_statuses: list[tuple[str, str]]
    overdue: list[dict[str, Any]]  # per unit: name, count, oldest due
    overdue_total: int
    notices_open: int
    notices_overdue: int
    today: date
    generated_by: str

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


def _region_ids(within: Region) -> set[int]:
    return set(Region.objects.filter(within.subtree_q()).values_list("pk", flat=True))


def _scoped_trees(within: Region, actor: Actor) -> list[PlanProgress]:
    """Each active plan's top tasks, rolled up over the actions of the scope's units (the city: every unit's)."""
    from xinghuo.worklist import selectors as worklist

    ids = None if within.level == RegionLevel.CITY else _region_ids(within)
    out = []
    for plan in worklist.plans(actor=actor):
        tree = worklist.plan_tree(plan)
        if ids is not None:
            for root in tree:
                _keep_actions(root, ids)
                worklist.roll_up(root)
        rolled = [(n.progress, n.task.weight or worklist.ONE) for n in tree if n.progress is not None]
        out.append(PlanProgress(plan=plan, progress=worklist.weighted(rolled), tasks=tree))
    return out


def _keep_actions(node: Any, region_ids: set[int]) -> None:
    node.actions = [a for a in node.actions if a.organisation.region_id in region_ids]
    node.progress, node.delayed = None, 0
    for child in node.children:
        _keep_actions(child, region_ids)


def _lagging(within: Region, plans: list[PlanProgress]) -> list[Any]:
    """The scope's actions marked 滞后, in the order of the plans' task trees."""
    from xinghuo.worklist.models import Action, ActionStatus

    order: dict[int, int] = {}

    def walk(nodes: list[Any]) -> None:
        for node in nodes:
            order[node.task.pk] = len(order)
            walk(node.children)

    for item in plans:
        walk(item.tasks)
    found = Action.unscoped.filter(within.subtree_q("organisation__region"), status=ActionStatus.DELAYED, task__plan__is_active=True)
    return sorted(found.select_related("task", "organisation"), key=lambda a: (order.get(a.task_id, len(order)), a.organisation.code or ""))


def _filings(within: Region) -> tuple[list[FilingRow], list[tuple[str, str]]]:
    """The implementation plans' filings of the scope's county (zone) associations, by status."""
    from xinghuo.organisations.models import Organisation, OrganisationKind
    from xinghuo.worklist.models import Filing, FilingStatus, Plan

    statuses = [(s.value, s.label) for s in (FilingStatus.ACCEPTED, FilingStatus.RETURNED, FilingStatus.SUBMITTED, FilingStatus.DRAFT)]
    active = Plan.objects.filter(is_active=True).count()
    rows: dict[int, FilingRow] = {}
    units = Organisation.unscoped.filter(within.subtree_q("region"), kind=OrganisationKind.COUNTY_ASSOCIATION).order_by("code")
    for org in units:
        rows[org.pk] = FilingRow(organisation=org.name, missing=active)
    found = (
        Filing.unscoped.filter(within.subtree_q("organisation__region"))
        .values("organisation_id", "organisation__name", "organisation__code", "status")
        .annotate(n=Count("pk"), active=Count("pk", filter=Q(plan__is_active=True)))
        .order_by("organisation__code")
    )
    for item in found:
        row = rows.setdefault(item["organisation_id"], FilingRow(organisation=item["organisation__name"], missing=active))
        row.counts[item["status"]] = row.counts.get(item["status"], 0) + item["n"]
        row.missing = max(0, row.missing - item["active"])
    for row in rows.values():
        row.cells = [row.counts.get(value, 0) for value, _ in statuses]
    return list(rows.values()), statuses


def _overdue(within: Region, today: date) -> tuple[list[dict[str, Any]], int]:
    from xinghuo.worklist.models import ProgressReport

    found = (
        ProgressReport.unscoped.filter(
            within.subtree_q("action__organisation__region"), submitted_at__isnull=True, due__lt=today, action__task__plan__is_active=True
        )
        .values("action__organisation__name", "action__organisation__code")
        .annotate(n=Count("pk"), oldest=Min("due"))
        .order_by("-n", "action__organisation__code")
    )
    rows = [{"name": r["action__organisation__name"], "count": r["n"], "oldest": r["oldest"]} for r in found]
    return rows, sum(r["count"] for r in rows)


def _notices(within: Region, today: date) -> tuple[int, int]:
    from xinghuo.worklist.models import NoticeStatus, SupervisionNotice

    open_ = SupervisionNotice.unscoped.filter(within.subtree_q("organisation__region"), status=NoticeStatus.OPEN)
    return open_.count(), open_.filter(answer_by__lt=today).count()


def progress_report(*, actor: Actor, board: Board, period: Period) -> ReportContext:
    """Everything the printed progress report shows, for the board's scope and the period of its year."""
    today = timezone.localdate()
    within = board.within
    sections = [
        Section(group, [period_row(f, period) for f in figures], breakdown_tables(within, figures)) for group, figures in board.groups()
    ]
    filings, statuses = _filings(within)
    overdue, overdue_total = _overdue(within, today)
    notices_open, notices_overdue = _notices(within, today)
    plans = _scoped_trees(within, actor)
    return ReportContext(
        within=within, period=period, board=board, sections=sections, plans=plans, lagging=_lagging(within, plans),
        filings=filings, filing_statuses=statuses, overdue=overdue, overdue_total=overdue_total, notices_open=notices_open,
        notices_overdue=notices_overdue, today=today, generated_by=actor.user.audit_label(),
    )  # fmt: skip


def report_filename(within: Region, period: Period) -> str:
    return f"星火科普专项行动进展报告-{within.display_name}-{period.label}"
