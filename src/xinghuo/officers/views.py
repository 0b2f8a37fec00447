"""Console pages of the 科普中国 information officers (人才队伍 · 科普中国信息员): registered, active and the active rate
by county (or town) for a month, drilling down to the officers; the top officers of a month or a year by shares and by
reads; one officer's months; registering an officer (one of the people registry, or a new person) and correcting a
registration; importing the monthly figures from Excel. Every list exports to Excel; phones are masked everywhere.

City staff see the city and open a county; a county's staff see their county (another county's officer answers 404
like a missing one)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from xinghuo.console.context import console_context, paginated
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import XLSX, Column, export_response
from xinghuo.core.excel_import import template_bytes
from xinghuo.officers import importer, permissions, selectors, services
from xinghuo.officers.forms import ExistingPersonForm, NewPersonForm, OfficerForm
from xinghuo.officers.models import ACTIVE_MIN_SHARES, FIRST_YEAR, InfoOfficer
from xinghuo.officers.selectors import Period
from xinghuo.regions.models import Region
from xinghuo.talent import consent
from xinghuo.talent.selectors import resolve_organisation, resolve_region

VIEWERS = permissions.VIEWER_ROLES
EDITORS = permissions.EDITOR_ROLES
OBJECT_TYPE = "officers.infoofficer"


def _actor(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def _within(request: HttpRequest) -> Region:
    try:
        return selectors.within_for(_actor(request), request.GET.get("region", ""))
    except DomainError as exc:
        raise Http404 from exc


def _month(request: HttpRequest, within: Region) -> Period:
    """`?month=2026-05`, if a month figures may exist for; else the last month with figures."""
    ym = selectors.parse_month(request.GET.get("month", ""))
    if ym is not None:
        try:
            return selectors.check_month(*ym)
        except DomainError:
            pass
    return selectors.latest_month(within)


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("科普中国信息员", reverse("officers_console:overview")), *extra]


def _query(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v})


def _month_choices(within: Region, chosen: Period) -> list[Period]:
    months = selectors.months_with_figures(within)
    return months if chosen in months else [chosen, *months]


# --- registered, active, rate by county -------------------------------------------------------------------------


@for_roles(*VIEWERS)
@require_GET
def overview_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    within = _within(request)
    period = _month(request, within)
    figures = selectors.activity(within=within, period=period)
    root = selectors.scope_root(actor)
    return render(request, "officers/overview.html", console_context(
        request, title=f"科普中国信息员：{within.display_name}", crumbs=[("科普中国信息员", None)], figures=figures, root=root,
        within=within, period=period, months=_month_choices(within, period), threshold=ACTIVE_MIN_SHARES,
        can_edit=permissions.can_edit(actor), here=_query(region=within.code if within != root else "", month=period.label),
        unregistered=selectors.unregistered_holders(actor=actor, within=within).count(),
    ))  # fmt: skip


OVERVIEW_COLUMNS = [
    Column("区划", lambda r: r.region.name + ("（未细分）" if r.whole else ""), 24), Column("区划代码", lambda r: r.region.code, 14),
    Column("在册信息员", lambda r: r.registered, 12), Column("活跃信息员", lambda r: r.active, 12),
    Column("未活跃", lambda r: r.inactive, 10), Column("活跃率", lambda r: r.percent, 10),
]  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def overview_export_view(request: HttpRequest) -> HttpResponse:
    within = _within(request)
    period = _month(request, within)
    figures = selectors.activity(within=within, period=period)
    return export_response(filename=f"科普中国信息员活跃情况-{within.display_name}-{period.label}", sheet=f"信息员活跃情况 {period.label}",
                           columns=OVERVIEW_COLUMNS, rows=[*figures.rows, figures.total], object_type=OBJECT_TYPE,
                           filters={"region": request.GET.get("region", ""), "month": period.label})  # fmt: skip


# --- the officers -------------------------------------------------------------------------------------------------


def _officers(request: HttpRequest) -> tuple[Region, Period, str, str, Any]:
    within = _within(request)
    period = _month(request, within)
    active = request.GET.get("active", "")
    active = active if active in ("0", "1") else ""
    q = request.GET.get("q", "")[:50]
    return within, period, active, q, selectors.officer_list(actor=_actor(request), within=within, period=period, active=active, q=q)


@for_roles(*VIEWERS)
@require_GET
def officer_list_view(request: HttpRequest) -> HttpResponse:
    within, period, active, q, officers = _officers(request)
    return render(request, "officers/people.html", console_context(
        request, title=f"科普中国信息员名单：{within.display_name}", crumbs=_crumbs(("信息员名单", None)), within=within, period=period,
        active=active, q=q, months=_month_choices(within, period), root=selectors.scope_root(_actor(request)),
        threshold=ACTIVE_MIN_SHARES, **paginated(request, officers),
    ))  # fmt: skip


def _region_name(o: InfoOfficer) -> str:
    region = o.person.region
    county = region.county.name if region.county and region.county_id != region.pk else ""
    return f"{county} · {region.name}" if county else region.name


OFFICER_COLUMNS = [
    Column("姓名", lambda o: o.person.name, 12), Column("所在区划", _region_name, 24), Column("手机号", lambda o: o.person.phone_shown, 14),
    Column("科普中国账号", lambda o: o.account, 18), Column("注册单位", lambda o: o.organisation.name, 28),
    Column("注册日期", lambda o: o.registered_on, 12),
]  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def officer_export_view(request: HttpRequest) -> HttpResponse:
    within, period, active, q, officers = _officers(request)
    columns = [
        *OFFICER_COLUMNS, Column(f"{period.label} 转发/分享", lambda o: o.m_shares, 14), Column(f"{period.label} 阅读量", lambda o: o.m_reads, 14),
        Column(f"{period.label} 点赞数", lambda o: o.m_likes, 14), Column("当月活跃", lambda o: o.is_active, 10),
    ]  # fmt: skip
    return export_response(filename=f"科普中国信息员-{within.display_name}-{period.label}", sheet=f"信息员 {period.label}", columns=columns,
                           rows=officers.iterator(chunk_size=2000), object_type=OBJECT_TYPE,
                           filters={"region": request.GET.get("region", ""), "month": period.label, "active": active, "q": q})  # fmt: skip


# --- role holders not registered yet -------------------------------------------------------------------------------


@for_roles(*VIEWERS)
@require_GET
def unregistered_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    within = _within(request)
    people = selectors.unregistered_holders(actor=actor, within=within)
    return render(request, "officers/unregistered.html", console_context(
        request, title=f"待登记账号的信息员：{within.display_name}", crumbs=_crumbs(("待登记账号", None)), within=within,
        root=selectors.scope_root(actor), can_edit=permissions.can_edit(actor), **paginated(request, people),
    ))  # fmt: skip


UNREGISTERED_COLUMNS = [
    Column("姓名", lambda p: p.name, 12),
    Column("所在区划", lambda p: (f"{p.region.county.name} · " if p.region.county and p.region.county_id != p.region.pk else "") + p.region.name, 24),
    Column("工作单位", lambda p: p.organisation.name if p.organisation else "", 28), Column("手机号", lambda p: p.phone_shown, 14),
]  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def unregistered_export_view(request: HttpRequest) -> HttpResponse:
    within = _within(request)
    people = selectors.unregistered_holders(actor=_actor(request), within=within)
    return export_response(filename=f"待登记账号的信息员-{within.display_name}", sheet="待登记账号的信息员", columns=UNREGISTERED_COLUMNS,
                           rows=people.iterator(chunk_size=2000), object_type="talent.person",
                           filters={"region": request.GET.get("region", ""), "role": "info_officer", "unregistered": True})  # fmt: skip


# --- top 20 -----------------------------------------------------------------------------------------------------


def _top_period(request: HttpRequest, within: Region) -> Period:
    """`?year=2026` for a whole year; else the month (`?month=`, the last month with figures by default)."""
    raw = request.GET.get("year", "")
    if raw.isdecimal() and FIRST_YEAR <= int(raw) <= timezone.localdate().year:
        return Period(int(raw))
    return _month(request, within)


@for_roles(*VIEWERS)
@require_GET
def top_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    within = _within(request)
    period = _top_period(request, within)
    months = selectors.months_with_figures(within)
    root = selectors.scope_root(actor)
    return render(request, "officers/top.html", console_context(
        request, title=f"信息员传播排行：{within.display_name} {period.label}", crumbs=_crumbs(("传播排行", None)), within=within, root=root,
        period=period, months=months, years=sorted({p.year for p in months}, reverse=True), top=selectors.TOP,
        by_shares=selectors.top_officers(actor=actor, within=within, period=period, by="shares"),
        by_reads=selectors.top_officers(actor=actor, within=within, period=period, by="reads"),
        here=_query(region=within.code if within != root else "", **({"year": period.year} if not period.is_month else {"month": period.label})),
    ))  # fmt: skip


TOP_COLUMNS = [
    Column("名次", lambda r: r.rank, 6), Column("姓名", lambda r: r.officer.person.name, 12),
    Column("所在区划", lambda r: _region_name(r.officer), 24), Column("手机号", lambda r: r.officer.person.phone_shown, 14),
    Column("科普中国账号", lambda r: r.officer.account, 18), Column("注册单位", lambda r: r.officer.organisation.name, 28),
    Column("转发/分享次数", lambda r: r.shares, 14), Column("阅读量", lambda r: r.reads, 12), Column("点赞数", lambda r: r.likes, 10),
]  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def top_export_view(request: HttpRequest) -> HttpResponse:
    within = _within(request)
    period = _top_period(request, within)
    by = request.GET.get("by", "shares")
    by = by if by in selectors.RANKINGS else "shares"
    rows = selectors.top_officers(actor=_actor(request), within=within, period=period, by=by)
    what = "转发分享" if by == "shares" else "阅读量"
    return export_response(filename=f"信息员{what}前{selectors.TOP}名-{within.display_name}-{period.label}", sheet=f"{what}前{selectors.TOP}名 {period.label}",
                           columns=TOP_COLUMNS, rows=rows, object_type=OBJECT_TYPE,
                           filters={"region": request.GET.get("region", ""), "period": period.label, "by": by})  # fmt: skip


# --- one officer --------------------------------------------------------------------------------------------------


def _officer(request: HttpRequest, uid: str) -> InfoOfficer:
    try:
        return selectors.get_officer_for_actor(actor=_actor(request), uid=uid)
    except NotFound as exc:
        raise Http404 from exc


@for_roles(*VIEWERS)
@require_GET
def officer_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    officer = _officer(request, uid)
    months = selectors.officer_months(officer)
    return render(request, "officers/person.html", console_context(
        request, title=f"科普中国信息员：{officer.person.name}", crumbs=_crumbs(("信息员名单", reverse("officers_console:people")),
                                                                           (officer.person.name, None)),
        officer=officer, months=months, serving=selectors.is_serving(officer), threshold=ACTIVE_MIN_SHARES,
        totals={k: sum(getattr(m, k) for m in months) for k in ("shares", "reads", "likes")},
        active_months=sum(1 for m in months if m.is_active), can_edit=permissions.can_edit(_actor(request), officer.person),
    ))  # fmt: skip


MONTH_COLUMNS = [
    Column("月份", lambda m: m.label, 10), Column("转发/分享次数", lambda m: m.shares, 14), Column("阅读量", lambda m: m.reads, 12),
    Column("点赞数", lambda m: m.likes, 10), Column("活跃", lambda m: m.is_active, 8),
]  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def officer_months_export_view(request: HttpRequest, uid: str) -> HttpResponse:
    officer = _officer(request, uid)
    return export_response(filename=f"信息员传播数据-{officer.person.name}", sheet=f"{officer.person.name} 传播数据", columns=MONTH_COLUMNS,
                           rows=selectors.officer_months(officer), object_type="officers.monthlyfigures",
                           filters={"officer": str(officer.uid)})  # fmt: skip


def _officer_fields(request: HttpRequest, form: OfficerForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "account": data["account"], "registered_on": data["registered_on"], "note": data["note"],
        "organisation": resolve_organisation(actor=_actor(request), text=data["organisation"]),
    }  # fmt: skip


@for_roles(*EDITORS)
@require_http_methods(["GET", "POST"])
def officer_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    officer = _officer(request, uid)
    if not permissions.can_edit(_actor(request), officer.person):
        raise Http404
    initial = {"account": officer.account, "organisation": officer.organisation.code, "registered_on": officer.registered_on,
               "note": officer.note}  # fmt: skip
    form = OfficerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_update(actor=_actor(request), officer=officer, **_officer_fields(request, form))
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            form.add_domain_error(exc)
        else:
            messages.success(request, "已保存")
            return redirect(reverse("officers_console:person", args=[officer.uid]))
    return render(request, "officers/edit.html", console_context(
        request, title=f"修改登记：{officer.person.name}", officer=officer, form=form,
        crumbs=_crumbs((officer.person.name, reverse("officers_console:person", args=[officer.uid])), ("修改", None)),
    ), status=400 if form.errors else 200)  # fmt: skip


# --- registering ----------------------------------------------------------------------------------------------------


@for_roles(*EDITORS)
@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest) -> HttpResponse:
    """Register a person of the registry (found by ID number or phone, or linked by uid) or a new person."""
    actor = _actor(request)
    mode = request.POST.get("mode", "")
    existing = ExistingPersonForm(request.POST if mode == "existing" else None, prefix="existing",
                                  initial={"person": request.GET.get("person", "")})  # fmt: skip
    new = NewPersonForm(request.POST if mode == "new" else None, prefix="new")
    picked = None
    if request.GET.get("person"):
        try:
            picked = selectors.person_to_register(actor=actor, uid=request.GET["person"])
        except DomainError as exc:
            raise Http404 from exc
    officer = None
    if mode == "existing" and existing.is_valid():
        data = existing.cleaned_data
        try:
            person = selectors.person_to_register(actor=actor, uid=data["person"], who=data["who"])
            officer = services.officer_register(actor=actor, person=person, **_officer_fields(request, existing))
        except DomainError as exc:
            existing.add_domain_error(exc)
    elif mode == "new" and new.is_valid():
        data = new.cleaned_data
        try:
            officer = services.officer_register_new(
                actor=actor, consent_given=data["consent"], name=data["name"], id_number=data["id_number"].strip(),
                phone=data["phone"].strip(), gender=data["gender"], region=resolve_region(actor=actor, text=data["region"]),
                **_officer_fields(request, new),
            )  # fmt: skip
        except DomainError as exc:
            new.add_domain_error(exc)
    if officer is not None:
        messages.success(request, f"已登记科普中国信息员：{officer.person.name}")
        return redirect(reverse("officers_console:person", args=[officer.uid]))
    return render(request, "officers/register.html", console_context(
        request, title="登记科普中国信息员", crumbs=_crumbs(("登记", None)), existing=existing, new=new, picked=picked,
        consent_text=consent.TEXT, consent_version=consent.VERSION,
    ), status=400 if request.method == "POST" else 200)  # fmt: skip


# --- import ---------------------------------------------------------------------------------------------------------


@for_roles(*EDITORS)
@require_GET
def import_template_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_bytes(sheet="信息员传播数据", columns=importer.COLUMNS), content_type=XLSX)
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''" + "%E4%BF%A1%E6%81%AF%E5%91%98%E4%BC%A0%E6%92%AD%E6%95%B0%E6%8D%AE%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response


@for_roles(*EDITORS)
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload the back office's sheet: every row is checked, and nothing is saved if any row is wrong."""
    report, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "请选择要上传的 Excel 文件"
        else:
            try:
                report = importer.import_upload(actor=_actor(request), upload=upload)
            except DomainError as exc:
                error = exc.message
    failed = bool(error) or (report is not None and bool(report.errors))
    return render(request, "officers/import.html", console_context(
        request, title="导入信息员传播数据", crumbs=_crumbs(("导入传播数据", None)), report=report, error=error, all_or_nothing=True,
        threshold=ACTIVE_MIN_SHARES,
    ), status=400 if failed else 200)  # fmt: skip
