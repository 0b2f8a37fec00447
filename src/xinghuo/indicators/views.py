"""Pages of the indicators (数据驾驶舱): the dashboard of a scope and a year, one indicator with its breakdowns and the
exact records it counts (and their Excel), the city's choice of published figures, and the public summary page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts.roles import Role
from xinghuo.console.context import console_context, paginated
from xinghuo.core import excel
from xinghuo.core.access import for_roles, public
from xinghuo.core.errors import DomainError
from xinghuo.core.scoping import public_reads
from xinghuo.indicators import charts, selectors, services
from xinghuo.indicators.registry import RATIO, Figure, Indicator, bucket_level, drill
from xinghuo.regions.models import Region

VIEWERS = selectors.VIEWERS


def _actor(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def _year(request: HttpRequest) -> int:
    this = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this))
    except ValueError:
        return this
    return year if selectors.year_allowed(year) else this


def _scope(request: HttpRequest) -> Region:
    try:
        return selectors.scope_for(_actor(request), request.GET.get("county", ""))
    except DomainError as exc:
        raise Http404 from exc


def _indicator(key: str) -> Indicator:
    try:
        return selectors.get_indicator(key)
    except DomainError as exc:
        raise Http404 from exc


def _computed(at: float) -> datetime:
    return timezone.localtime(datetime.fromtimestamp(at, tz=timezone.get_current_timezone()))


@for_roles(*VIEWERS)
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    within, year = _scope(request), _year(request)
    board = selectors.board(within=within, year=year)
    columns, league = selectors.league(board)
    by_key = board.by_key()
    targeted = [f for f in board.figures if f.target is not None and f.indicator.brand_id is None]
    brands = [f for f in board.figures if f.indicator.brand_id is not None]
    others = [f for f in board.figures if f.target is None and f.indicator.brand_id is None and f.available]
    missing = [f for f in board.figures if not f.available]
    coverage = selectors.coverage_map(within)
    return render(request, "indicators/dashboard.html", console_context(
        request, title="数据驾驶舱", crumbs=[("数据驾驶舱", None)], within=within, year=year, years=selectors.years(),
        scopes=selectors.sub_scopes(_actor(request).region), is_city=_actor(request).role == Role.CITY_STAFF,
        computed_at=_computed(board.computed_at), targeted=targeted, brand_rows=charts.brand_rows(brands), others=others,
        missing=missing, league_columns=columns, league=league, bucket_label=_bucket_label(within),
        lagging=sum(1 for f in board.figures if f.state == "behind"),
        chart_data=charts.dashboard(board, by_key, coverage, year=year, county=request.GET.get("county", "")),
    ))  # fmt: skip


def _bucket_label(within: Region) -> str:
    return "县市区" if bucket_level(within) == "county" else "乡镇（街道）"


@for_roles(Role.CITY_STAFF)
@require_POST
def refresh_view(request: HttpRequest) -> HttpResponse:
    """Recompute the figures now instead of waiting for the cache to expire."""
    within, year = _scope(request), _year(request)
    selectors.board(within=within, year=year, fresh=True)
    messages.success(request, "已按最新记录重新计算。")
    return redirect(f"{reverse('indicators_console:dashboard')}?{request.GET.urlencode()}")


# --- one indicator ------------------------------------------------------------------------------------------------------


def _drill_filters(request: HttpRequest, indicator: Indicator, figure: Figure) -> dict[str, Any]:
    """The drill-down's filters from the query string: `part` a county's (town's) code or "own", `month` 1–12,
    `uncovered=1` the regions of a ratio not yet covered. Unknown values are ignored."""
    out: dict[str, Any] = {}
    part = request.GET.get("part", "")
    if part == "own":
        out["own"] = True
    elif part:
        found = next((p for p in figure.parts if p.code == part), None)
        if found is not None:
            out["bucket"] = found.key
    month = request.GET.get("month", "")
    if month.isdecimal() and 1 <= int(month) <= 12:
        out["month"] = int(month)
    if indicator.measure == RATIO and request.GET.get("uncovered") == "1":
        out["uncovered"] = True
    return out


def _label_of(figure: Figure, filters: dict[str, Any]) -> str:
    bits = []
    if filters.get("own"):
        bits.append(next((p.label for p in figure.parts if p.key is None), "本级"))
    elif "bucket" in filters:
        bits.append(next(p.label for p in figure.parts if p.key == filters["bucket"]))
    if "month" in filters:
        bits.append(f"{filters['month']}月")
    if filters.get("uncovered"):
        bits.append("未覆盖")
    return " · ".join(bits)


@for_roles(*VIEWERS)
@require_GET
def indicator_view(request: HttpRequest, key: str) -> HttpResponse:
    indicator = _indicator(key)
    within, year = _scope(request), _year(request)
    figure = selectors.figure(indicator=indicator, within=within, year=year)
    context = console_context(
        request, title=indicator.name, crumbs=[("数据驾驶舱", reverse("indicators_console:dashboard")), (indicator.name, None)],
        indicator=indicator, figure=figure, within=within, year=year, years=selectors.years(), clauses=selectors.clauses_of(indicator),
        scopes=selectors.sub_scopes(_actor(request).region), bucket_label=_bucket_label(within),
    )  # fmt: skip
    if figure.available:
        filters = _drill_filters(request, indicator, figure)
        records = drill(indicator, within=within, year=year, **filters)
        context.update(paginated(request, records), filters=filters, filter_label=_label_of(figure, filters),
                       columns=indicator.columns, chart_data=charts.indicator(figure))  # fmt: skip
        context["rows"] = [
            ([c.value(r) for c in indicator.columns], indicator.link(r) if indicator.link else "") for r in context["page_obj"]
        ]
    return render(request, "indicators/indicator.html", context)


@for_roles(*VIEWERS)
@require_GET
def indicator_export_view(request: HttpRequest, key: str) -> HttpResponse:
    """The drill-down's records (with the page's filters) as Excel."""
    indicator = _indicator(key)
    if not indicator.available:
        raise Http404
    within, year = _scope(request), _year(request)
    figure = selectors.figure(indicator=indicator, within=within, year=year)
    filters = _drill_filters(request, indicator, figure)
    records = drill(indicator, within=within, year=year, **filters).iterator(chunk_size=2000)
    columns = [excel.Column(c.title, c.value, c.width) for c in indicator.columns]
    return excel.export_response(filename=f"指标明细-{indicator.name}", sheet=indicator.name, columns=columns, rows=records,
                                 object_type=f"indicators.{indicator.key}", filters={"scope": within.code, "year": year, **filters})  # fmt: skip


# --- publication ------------------------------------------------------------------------------------------------------


@for_roles(Role.CITY_STAFF)
@require_http_methods(["GET", "POST"])
def publication_view(request: HttpRequest) -> HttpResponse:
    """City staff choose which figures the portal's summary page shows, and in which order."""
    candidates = [i for i in selectors.all_indicators() if i.available and i.public]
    chosen = selectors.published_keys()
    error = ""
    if request.method == "POST":
        keys = [k for k in request.POST.getlist("keys") if k]
        try:
            services.publication_set(actor=_actor(request), keys=keys)
        except DomainError as exc:
            error, chosen = exc.message, keys
        else:
            messages.success(request, f"已更新公开指标（{len(keys)} 项）。")
            return redirect("indicators_console:publication")
    order = {k: i for i, k in enumerate(chosen)}
    candidates.sort(key=lambda i: (i.key not in order, order.get(i.key, 0)))
    return render(request, "indicators/publication.html", console_context(
        request, title="公开指标设置", crumbs=[("数据驾驶舱", reverse("indicators_console:dashboard")), ("公开指标设置", None)],
        candidates=candidates, chosen=set(chosen), error=error,
    ))  # fmt: skip


@public
@require_GET
def public_summary_view(request: HttpRequest) -> HttpResponse:
    """The figures the city chose to publish, for everyone: what the platform has built so far against the plan."""
    year = _year(request)
    with public_reads():
        city, figures = selectors.public_board(year)
    return render(request, "indicators/public.html", {"city": city, "year": year, "years": selectors.years(), "figures": figures,
                                                      "chart_data": charts.public(figures)})  # fmt: skip
