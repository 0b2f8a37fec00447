"""Console pages of the promoters (人才队伍 · 宣传员覆盖): coverage by county and town, the villages still without a
promoter, the promoters with their villages and this year's activities there, and one promoter's villages (take on
more, give one up). City staff see the city and open a county; a county's staff see their county. Everything also
exports to Excel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.console.context import console_context, paginated
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.core.lookup import get_by_uid
from xinghuo.promoters import permissions, selectors, services
from xinghuo.promoters.forms import AssignForm
from xinghuo.promoters.models import PromoterArea
from xinghuo.regions.models import Region

VIEWERS = permissions.VIEWER_ROLES


def _actor(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def _within(request: HttpRequest) -> Region:
    try:
        return selectors.within_for(_actor(request), request.GET.get("county", ""))
    except DomainError as exc:
        raise Http404 from exc


def _crumbs(within: Region, *extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("宣传员覆盖", reverse("promoters_console:coverage")), *extra]


# --- coverage -------------------------------------------------------------------------------------------------


@for_roles(*VIEWERS)
@require_GET
def coverage_view(request: HttpRequest) -> HttpResponse:
    within = _within(request)
    figures = selectors.coverage(within=within)
    return render(request, "promoters/coverage.html", console_context(
        request, title=f"宣传员覆盖：{within.display_name}", crumbs=[("宣传员覆盖", None)], coverage=figures,
        by_county=within.level == "city", root=selectors.scope_root(_actor(request)),
    ))  # fmt: skip


COVERAGE_COLUMNS = [
    Column("区划", lambda r: r.region.name, 24), Column("区划代码", lambda r: r.region.code, 14),
    Column("社区（村）数", lambda r: r.villages, 14), Column("有宣传员的", lambda r: r.covered, 14),
    Column("尚无宣传员的", lambda r: r.uncovered, 14), Column("覆盖率", lambda r: r.percent, 10),
]  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def coverage_export_view(request: HttpRequest) -> HttpResponse:
    within = _within(request)
    figures = selectors.coverage(within=within)
    return export_response(filename=f"宣传员覆盖-{within.display_name}", sheet="宣传员覆盖", columns=COVERAGE_COLUMNS,
                           rows=[*figures.rows, figures.total], object_type="promoters.promoterarea",
                           filters={"county": request.GET.get("county", "")})  # fmt: skip


# --- villages without a promoter ------------------------------------------------------------------------------


@for_roles(*VIEWERS)
@require_GET
def uncovered_view(request: HttpRequest) -> HttpResponse:
    within = _within(request)
    town = request.GET.get("town", "")
    villages = selectors.uncovered_villages(within=within, town=town)
    return render(request, "promoters/uncovered.html", console_context(
        request, title=f"尚无宣传员的社区（村）：{within.display_name}", crumbs=_crumbs(within, ("尚无宣传员的社区（村）", None)),
        within=within, towns=selectors.towns_of(within), town=town, root=selectors.scope_root(_actor(request)),
        **paginated(request, villages, per_page=50),
    ))  # fmt: skip


UNCOVERED_COLUMNS = [
    Column("县市区", lambda v: v.county.name if v.county else "", 16), Column("乡镇（街道）", lambda v: v.town.name if v.town else "", 20),
    Column("社区（村）", lambda v: v.name, 24), Column("区划代码", lambda v: v.code, 16),
]  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def uncovered_export_view(request: HttpRequest) -> HttpResponse:
    within = _within(request)
    villages = selectors.uncovered_villages(within=within, town=request.GET.get("town", ""))
    return export_response(filename=f"尚无宣传员的社区村-{within.display_name}", sheet="尚无宣传员的社区（村）", columns=UNCOVERED_COLUMNS,
                           rows=villages.iterator(chunk_size=2000), object_type="regions.region",
                           filters={"county": request.GET.get("county", ""), "town": request.GET.get("town", "")})  # fmt: skip


# --- the promoters --------------------------------------------------------------------------------------------


@for_roles(*VIEWERS)
@require_GET
def promoter_list_view(request: HttpRequest) -> HttpResponse:
    within = _within(request)
    q = request.GET.get("q", "")[:50]
    people = selectors.promoter_list(actor=_actor(request), within=within, q=q)
    return render(request, "promoters/people.html", console_context(
        request, title=f"星火科普宣传员：{within.display_name}", crumbs=_crumbs(within, ("宣传员名单", None)), within=within, q=q,
        root=selectors.scope_root(_actor(request)), **paginated(request, people),
    ))  # fmt: skip


PEOPLE_COLUMNS = [
    Column("姓名", lambda p: p.name, 12), Column("所在区划", lambda p: p.region.name, 20),
    Column("工作单位", lambda p: p.organisation.name if p.organisation else "", 28), Column("手机号", lambda p: p.phone_shown, 14),
    Column("负责社区（村）数", lambda p: p.villages, 16), Column("本年在负责村举办的活动", lambda p: p.activities, 20),
]  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def promoter_export_view(request: HttpRequest) -> HttpResponse:
    within = _within(request)
    people = selectors.promoter_list(actor=_actor(request), within=within, q=request.GET.get("q", "")[:50])
    return export_response(filename=f"星火科普宣传员-{within.display_name}", sheet="星火科普宣传员", columns=PEOPLE_COLUMNS,
                           rows=people.iterator(chunk_size=2000), object_type="talent.person",
                           filters={"county": request.GET.get("county", ""), "role": "promoter"})  # fmt: skip


def _promoter(request: HttpRequest, uid: str) -> Any:
    try:
        return selectors.get_promoter_for_actor(actor=_actor(request), uid=uid)
    except NotFound as exc:
        raise Http404 from exc


@for_roles(*VIEWERS)
@require_http_methods(["GET", "POST"])
def promoter_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    person = _promoter(request, uid)
    can_assign = permissions.can_assign(actor)
    form = AssignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_assign:
            raise Http404
        if form.is_valid():
            villages, unknown = selectors.villages_by_name_or_code(selectors.scope_root(actor), form.typed())
            if unknown:
                form.add_error("villages", f"找不到这些社区（村）：{'、'.join(unknown)}")
            else:
                try:
                    areas = services.promoter_assign(actor=actor, person=person, villages=villages, since=form.cleaned_data.get("since"))
                except DomainError as exc:
                    form.add_domain_error(exc)
                else:
                    messages.success(request, f"{person.name}已负责：{'、'.join(a.village.name for a in areas)}")
                    return redirect(reverse("promoters_console:person", args=[person.uid]))
    return render(request, "promoters/person.html", console_context(
        request, title=f"宣传员：{person.name}", crumbs=_crumbs(person.region, ("宣传员名单", reverse("promoters_console:people")),
                                                               (person.name, None)),
        person=person, areas=selectors.areas_of(person), form=form, can_assign=can_assign,
    ), status=400 if request.method == "POST" else 200)  # fmt: skip


@for_roles(*permissions.EDITOR_ROLES)
@require_POST
def area_release_view(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        area = get_by_uid(PromoterArea.objects.select_related("person"), uid)
    except NotFound as exc:
        raise Http404 from exc
    try:
        services.promoter_release(actor=_actor(request), area=area)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{area.person.name}已不再负责{area.village.name}")
    return redirect(reverse("promoters_console:person", args=[area.person.uid]))
