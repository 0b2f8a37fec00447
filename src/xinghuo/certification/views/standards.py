"""Console pages of the construction standards (建设标准): the versions of each type, editing an unused
version, a new version, putting one in force, the Excel of every indicator."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts.roles import Role
from xinghuo.certification import permissions, selectors, services
from xinghuo.certification.forms import (
    IndicatorFormSet,
    StandardForm,
    VersionForm,
)
from xinghuo.certification.models import (
    Application,
    Indicator,
    Standard,
)
from xinghuo.certification.views.common import ROLES, actor_of, crumbs
from xinghuo.console.context import console_context
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.core.lookup import get_by_uid

# --- standards ------------------------------------------------------------------------------------------------


@for_roles(*ROLES)
@require_GET
def standard_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "certification/standards.html", console_context(
        request, title="建设标准", crumbs=crumbs(("建设标准", None)), standards=selectors.standard_list(),
        can_edit=permissions.can_edit_standards(actor_of(request)),
    ))  # fmt: skip


STANDARD_COLUMNS = [
    Column("场馆类型", lambda i: i.standard.get_venue_type_display(), 16), Column("标准", lambda i: i.standard.name, 30),
    Column("版本", lambda i: i.standard.version, 10), Column("现行", lambda i: "是" if i.standard.is_active else "否", 6),
    Column("序号", lambda i: i.order, 6), Column("类别", lambda i: i.category, 12), Column("指标", lambda i: i.name, 20),
    Column("分值", lambda i: i.weight, 6), Column("必备项", lambda i: "是" if i.is_key else "", 8),
    Column("评分要点", lambda i: i.description, 50), Column("证明材料", lambda i: i.evidence, 30),
    Column("合格线", lambda i: i.standard.pass_score, 8), Column("公示天数", lambda i: i.standard.notice_days, 8),
]  # fmt: skip


@for_roles(*ROLES)
@require_GET
def standard_export_view(request: HttpRequest) -> HttpResponse:
    """Every standard's indicators, a row each (to circulate a draft version for comment, say)."""
    rows = Indicator.objects.select_related("standard").order_by("standard__venue_type", "-standard__version", "order")
    return export_response(filename="建设标准", sheet="建设标准", columns=STANDARD_COLUMNS, rows=rows, object_type="certification.standard")


def _standard(uid: str) -> Standard:
    try:
        return get_by_uid(Standard.objects.all(), uid)
    except NotFound as exc:
        raise Http404 from exc


def _indicator_rows(formset: Any) -> list[dict[str, Any]]:
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or form in formset.deleted_forms or not data.get("name"):
            continue
        rows.append({k: data.get(k) for k in ("category", "name", "weight", "description", "evidence", "is_key")})
    return rows


@for_roles(*ROLES)
@require_http_methods(["GET", "POST"])
def standard_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    standard = _standard(uid)
    actor = actor_of(request)
    indicators = list(standard.indicators.order_by("order"))
    used = Application.unscoped.filter(standard=standard).exists()
    editable = permissions.can_edit_standards(actor) and not used
    fields = ("name", "pass_score", "good_score", "excellent_score", "notice_days", "reassess_years", "note")
    form = StandardForm(request.POST if request.method == "POST" else None, initial={f: getattr(standard, f) for f in fields})
    formset = IndicatorFormSet(
        request.POST if request.method == "POST" else None, prefix="ind",
        initial=[{k: getattr(i, k) for k in ("category", "name", "weight", "description", "evidence", "is_key")} for i in indicators],
    )  # fmt: skip
    if request.method == "POST":
        if not editable:
            raise Http404
        if form.is_valid() and formset.is_valid():
            try:
                services.standard_update(actor=actor, standard=standard, indicators=_indicator_rows(formset), **form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "建设标准已保存")
                return redirect("certification_console:standard", uid=standard.uid)
    return render(request, "certification/standard.html", console_context(
        request, title=str(standard), crumbs=crumbs(("建设标准", reverse("certification_console:standards")), (standard.version, None)),
        standard=standard, indicators=indicators, total=sum(i.weight for i in indicators), used=used, editable=editable,
        form=form, formset=formset, version_form=VersionForm(), can_edit=permissions.can_edit_standards(actor),
    ), status=400 if request.method == "POST" else 200)  # fmt: skip


@for_roles(Role.CITY_STAFF)
@require_POST
def standard_version_view(request: HttpRequest, uid: str) -> HttpResponse:
    standard = _standard(uid)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            copy = services.standard_new_version(actor=actor_of(request), standard=standard, version=form.cleaned_data["version"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已新建版本“{copy.version}”，修改后启用")
            return redirect("certification_console:standard", uid=copy.uid)
    else:
        messages.error(request, "请填写新版本号")
    return redirect("certification_console:standard", uid=standard.uid)


@for_roles(Role.CITY_STAFF)
@require_POST
def standard_activate_view(request: HttpRequest, uid: str) -> HttpResponse:
    standard = _standard(uid)
    try:
        services.standard_activate(actor=actor_of(request), standard=standard)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{standard}”已启用，新的申请按此版本评审")
    return redirect("certification_console:standard", uid=standard.uid)
