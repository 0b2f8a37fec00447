"""Console pages of the indicators' reports: the Excel workbook of every indicator table, the printable progress
report of a period (PDF), and the 全国科普统计调查 figures the records supply (a page and its Excel).

Each takes `?year=` and, for city staff, `?county=<code>` (a county's staff always get their own county: asking for
another answers 404, as for a missing page); the progress report also takes `?period=` (Q1–Q4, m1–m12, or empty for
the whole year). A bad year or period is answered with the Chinese message on the statistics page."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from xinghuo.console.context import console_context
from xinghuo.core import audit
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError
from xinghuo.core.excel import export_sheets_response
from xinghuo.core.models import AuditAction
from xinghuo.core.pdf import pdf_response, render_pdf
from xinghuo.indicators import reports, selectors, statistics
from xinghuo.indicators.errors import IndicatorError as E
from xinghuo.regions.models import Region, RegionLevel

VIEWERS = selectors.VIEWERS
YEAR_ERROR = "年度应为 {first}–{last} 之间的年份"

PERIODS = [("", _("全年")), *((f"Q{q}", label) for q, label in enumerate(reports.QUARTERS, start=1)),
           *((f"m{m}", f"{m}月") for m in range(1, 13))]  # fmt: skip


@dataclass(frozen=True)
class Query:
    within: Region
    year: int
    period: str

    def params(self, **extra: Any) -> str:
        values = {"year": self.year, "county": self.within.code if self.within.level != RegionLevel.CITY else "", **extra}
        return urlencode({k: v for k, v in values.items() if v})


def _actor(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def _within(request: HttpRequest) -> Region:
    """The scope asked for and allowed (404 otherwise), before anything else is read."""
    try:
        return selectors.scope_for(_actor(request), (request.GET.get("county") or "").strip())
    except DomainError as exc:
        raise Http404 from exc


def _year(text: str) -> int:
    this_year = timezone.localdate().year
    if not text.strip():
        return this_year
    if not text.strip().isdecimal() or not selectors.year_allowed(int(text)):
        raise DomainError(E.INVALID, YEAR_ERROR.format(first=selectors.FIRST_YEAR, last=this_year + 1), field="year")
    return int(text)


def _query(request: HttpRequest) -> Query:
    """The scope (404 when not allowed), then the year and the period (DomainError with a Chinese message)."""
    within = _within(request)
    year = _year((request.GET.get("year") or "")[:8])
    period = reports.parse_period(year, (request.GET.get("period") or "")[:8]).code
    return Query(within=within, year=year, period=period)


def _back(request: HttpRequest, exc: DomainError) -> HttpResponse:
    messages.error(request, exc.message)
    within = _within(request)
    query = urlencode({"county": within.code}) if within.level != RegionLevel.CITY else ""
    return redirect(reverse("indicators_console:statistics") + (f"?{query}" if query else ""))


def _with_query(view: Callable[[HttpRequest, Query], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """A download's scope, year and period read first: a bad one sends the user back to the statistics page with the
    Chinese message (a scope not allowed: 404)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        try:
            query = _query(request)
        except DomainError as exc:
            return _back(request, exc)
        return view(request, query)

    return wrapped


def _scopes(request: HttpRequest) -> list[Region]:
    own = _actor(request).region
    return list(selectors.sub_scopes(own)) if own is not None else []


# --- the statistics page and its Excel -------------------------------------------------------------------------------


@for_roles(*VIEWERS)
@require_GET
def statistics_view(request: HttpRequest) -> HttpResponse:
    """The 全国科普统计调查 figures of a scope and a year, by category, with the items the records cannot supply."""
    error = None
    try:
        query = _query(request)
    except DomainError as exc:
        error = exc.message
        query = Query(within=_within(request), year=timezone.localdate().year, period="")
    result = statistics.survey(within=query.within, year=query.year)
    return render(request, "indicators/reports/statistics.html", console_context(
        request, title=f"{query.year} 年全国科普统计调查 · {query.within.display_name}",
        crumbs=[("指标与数据驾驶舱", None), ("全国科普统计调查", None)], survey=result, query=query, error=error,
        years=selectors.years(), scopes=_scopes(request), periods=PERIODS,
        missing=[i for i in result.items if i.missing], supplied=[i for i in result.items if not i.missing],
    ), status=400 if error else 200)  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
@_with_query
def statistics_export_view(request: HttpRequest, query: Query) -> HttpResponse:
    result = statistics.survey(within=query.within, year=query.year)
    return export_sheets_response(filename=statistics.survey_filename(result), sheets=statistics.survey_sheets(result),
                                  object_type="indicators.statistics", filters={"year": query.year, "county": query.within.code})  # fmt: skip


# --- every indicator table as Excel ------------------------------------------------------------------------------------


@for_roles(*VIEWERS)
@require_GET
@_with_query
def export_view(request: HttpRequest, query: Query) -> HttpResponse:
    """汇总, 分县市区 and 分月 of every indicator, for the scope and the year."""
    board = selectors.board(within=query.within, year=query.year)
    return export_sheets_response(filename=reports.workbook_filename(board), sheets=reports.workbook_sheets(board),
                                  object_type="indicators.indicator", filters={"year": query.year, "county": query.within.code})  # fmt: skip


# --- the progress report -----------------------------------------------------------------------------------------------


@for_roles(*VIEWERS)
@require_GET
@_with_query
def report_pdf_view(request: HttpRequest, query: Query) -> HttpResponse:
    """「星火科普」专项行动进展报告 of a period, as a PDF to print."""
    period = reports.parse_period(query.year, query.period)
    board = selectors.board(within=query.within, year=query.year)
    report = reports.progress_report(actor=_actor(request), board=board, period=period)
    pdf = render_pdf("indicators/reports/progress.html", report.as_dict(), request=request)
    audit.record(
        AuditAction.EXPORT, object_type="indicators.report", object_repr=f"导出进展报告《{query.within.display_name} {period.label}》",
        changes={"filters": [None, str({"year": query.year, "period": period.code, "county": query.within.code})]},
    )  # fmt: skip
    return pdf_response(pdf, filename=reports.report_filename(query.within, period))
