"""Console pages of the people registry (人才队伍 · 人员库): the list with its filters and Excel export, the Excel
import, entering and editing a person, their roles, and the audited reveal of one personal value.

Every page fetches in the actor's scope (another county's person answers 404 like a missing one). Phones and ID
numbers are shown masked everywhere; the clear value leaves the platform only through `reveal` (one value, on a
POST, audited) or an export the user asked to have unmasked (audited as such), and only for the roles of
talent.permissions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.console.context import console_context, paginated
from xinghuo.console.imports import handle_import
from xinghuo.core import audit
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import XLSX, Column, export_response
from xinghuo.core.excel_import import template_bytes
from xinghuo.core.files import file_response
from xinghuo.core.models import AuditAction
from xinghuo.core.personal import reveal
from xinghuo.regions.models import RegionLevel
from xinghuo.talent import consent, importer, permissions, selectors, services
from xinghuo.talent.forms import PersonCreateForm, PersonFilterForm, PersonForm, RoleForm
from xinghuo.talent.models import Person, RoleKind

VIEWERS = permissions.VIEWER_ROLES
EDITORS = permissions.EDITOR_ROLES
#: the personal values a form never shows in clear: an empty box keeps the stored one
KEPT_WHEN_EMPTY = ("phone", "id_number", "guardian_phone")


def _actor(request: HttpRequest) -> Any:
    return request.xh_actor  # type: ignore[attr-defined]


def _person(request: HttpRequest, uid: str) -> Person:
    try:
        return selectors.get_person_for_actor(actor=_actor(request), uid=uid)
    except NotFound as exc:
        raise Http404 from exc


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("人员库", reverse("talent_console:list")), *extra]


def _detail_url(person: Person) -> str:
    return reverse("talent_console:detail", args=[person.uid])


# --- list and export ------------------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[PersonFilterForm, selectors.PersonFilters]:
    actor = _actor(request)
    scope = actor.scope_region
    counties = list(scope.filter(level__in=(RegionLevel.COUNTY, RegionLevel.ZONE)).order_by("code")) if scope is not None else []
    form = PersonFilterForm(request.GET or None, counties=counties)
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.PersonFilters(role=data.get("role", ""), county=data.get("county", ""), field=data.get("field", ""),
                                         q=data.get("q", ""))  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def person_list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form, filters = _filters(request)
    return render(request, "talent/list.html", console_context(
        request, title="人员库", crumbs=[("人员库", None)], form=form, can_edit=permissions.can_edit(actor),
        can_export_unmasked=permissions.can_export_unmasked(actor),
        **paginated(request, selectors.person_list(actor=actor, filters=filters)),
    ))  # fmt: skip


def _roles(p: Person) -> str:
    return "、".join(r.get_kind_display() for r in p.active_roles)  # type: ignore[attr-defined]


def export_columns(*, unmasked: bool) -> list[Column]:
    def phone(p: Person) -> str:
        return p.phone if unmasked else p.phone_shown

    def id_number(p: Person) -> str:
        return p.id_number if unmasked else p.id_number_shown

    def guardian_phone(p: Person) -> str:
        return p.guardian_phone if unmasked else p.guardian_phone_shown

    return [
        Column("姓名", lambda p: p.name, 12), Column("性别", lambda p: p.get_gender_display(), 6),
        Column("出生年份", lambda p: p.birth_year, 10), Column("身份证号", id_number, 22), Column("手机号", phone, 14),
        Column("县市区", lambda p: p.region.county.name if p.region.county else p.region.name, 12),
        Column("所在区划", lambda p: p.region.name, 20), Column("区划代码", lambda p: p.region.code, 14),
        Column("工作单位", lambda p: p.organisation.name if p.organisation else "", 28), Column("职称/职务", lambda p: p.title, 16),
        Column("专业领域", lambda p: "、".join(p.field_labels()), 24), Column("在任角色", _roles, 30),
        Column("监护人", lambda p: p.guardian_name, 10), Column("监护人手机号", guardian_phone, 14),
        Column("同意书版本", lambda p: p.consent.version, 12), Column("同意时间", lambda p: p.consent_at, 18),
    ]  # fmt: skip


@for_roles(*VIEWERS)
@require_GET
def person_export_view(request: HttpRequest) -> HttpResponse:
    """The filtered list as Excel, masked; unmasked only when the user ticked it and their role may (audited)."""
    actor = _actor(request)
    _, filters = _filters(request)
    unmasked = request.GET.get("unmasked") == "1"
    if unmasked and not permissions.can_export_unmasked(actor):
        raise Http404
    people = selectors.person_list(actor=actor, filters=filters).select_related("consent")
    if unmasked:
        audit.record(
            AuditAction.VIEW_PERSONAL, object_type="talent.person", object_repr="明文导出人员库（手机号、身份证号）",
            changes={"fields": [None, "phone, id_number, guardian_phone"], "filters": [None, str({k: v for k, v in filters.__dict__.items() if v})]},
        )  # fmt: skip
    return export_response(
        filename="人员库", sheet="人员库", columns=export_columns(unmasked=unmasked), rows=people.iterator(chunk_size=2000),
        object_type="talent.person", filters={**filters.__dict__, "unmasked": unmasked},
    )  # fmt: skip


@for_roles(*VIEWERS)
@require_POST
def person_find_view(request: HttpRequest) -> HttpResponse:
    """Find a person by their whole ID number (posted, so that it stays out of addresses and logs)."""
    person = selectors.person_by_id_number(actor=_actor(request), id_number=request.POST.get("id_number", ""))
    if person is None:
        messages.error(request, "您的管理范围内没有该身份证号的人员（请核对号码是否完整、正确）")
        return redirect("talent_console:list")
    return redirect(_detail_url(person))


# --- import ---------------------------------------------------------------------------------------------------


@for_roles(*EDITORS)
@require_GET
def import_template_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_bytes(sheet="人员库", columns=importer.COLUMNS), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E4%BA%BA%E5%91%98%E5%BA%93%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    return response


@for_roles(*EDITORS)
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload a filled template: every row is checked, and nothing is saved if any row is wrong."""
    outcome = handle_import(
        request, columns=importer.COLUMNS, build=importer.make_builder(_actor(request)), save=importer.save,
        object_type="talent.person", description="导入人员库", allow_partial=False,
    )  # fmt: skip
    return render(request, "talent/import.html", console_context(
        request, title="导入人员", crumbs=_crumbs(("导入", None)), report=outcome.report, error=outcome.error,
        all_or_nothing=True, consent_text=consent.TEXT,
    ), status=outcome.status)  # fmt: skip


# --- entering and editing -------------------------------------------------------------------------------------


def _fields(request: HttpRequest, form: PersonForm) -> dict[str, Any]:
    """The form's values as the service takes them; raises DomainError for a region or organisation not found."""
    actor, data = _actor(request), form.cleaned_data
    fields = {
        "name": data["name"], "gender": data["gender"], "birth_year": data["birth_year"], "title": data["title"],
        "fields": data["expertise"], "note": data["note"], "guardian_name": data["guardian_name"],
        "region": selectors.resolve_region(actor=actor, text=data["region"]),
        "organisation": selectors.resolve_organisation(actor=actor, text=data["organisation"]),
    }  # fmt: skip
    for name in KEPT_WHEN_EMPTY:
        fields[name] = data[name].strip()
    return fields


def _form_page(request: HttpRequest, form: PersonForm, *, person: Person | None) -> HttpResponse:
    title = f"修改人员：{person.name}" if person else "录入人员"
    here = _crumbs((person.name, _detail_url(person)), ("修改", None)) if person else _crumbs(("录入", None))
    return render(request, "talent/form.html", console_context(
        request, title=title, crumbs=here, form=form, person=person, consent_text=consent.TEXT, consent_version=consent.VERSION,
    ), status=400 if form.errors else 200)  # fmt: skip


@for_roles(*EDITORS)
@require_http_methods(["GET", "POST"])
def person_create_view(request: HttpRequest) -> HttpResponse:
    form = PersonCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=_actor(request), consent_given=form.cleaned_data["consent"], guardian_consent=form.cleaned_data["guardian_consent"],
                roles=form.cleaned_data["roles"], photo=form.cleaned_data["photo"], **_fields(request, form),
            )  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已录入 {person.name}")
            return redirect(_detail_url(person))
    return _form_page(request, form, person=None)


def _initial(person: Person) -> dict[str, Any]:
    return {
        "name": person.name, "gender": person.gender, "birth_year": person.birth_year, "region": person.region.code,
        "organisation": person.organisation.code if person.organisation else "", "title": person.title,
        "expertise": person.fields, "note": person.note, "guardian_name": person.guardian_name,
        "guardian_consent": person.guardian_consent_at is not None,
    }  # fmt: skip


@for_roles(*EDITORS)
@require_http_methods(["GET", "POST"])
def person_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    person = _person(request, uid)
    if not permissions.can_edit(_actor(request), person):
        raise Http404
    masked = {"phone": person.phone_shown, "id_number": person.id_number_shown, "guardian_phone": person.guardian_phone_shown}
    form = PersonForm(request.POST or None, request.FILES or None, initial=_initial(person), masked=masked)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {k: v for k, v in _fields(request, form).items() if not (k in KEPT_WHEN_EMPTY and v == "")}
            services.person_update(actor=_actor(request), person=person, guardian_consent=form.cleaned_data["guardian_consent"],
                                   photo=form.cleaned_data["photo"], **fields)  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已保存")
            return redirect(_detail_url(person))
    return _form_page(request, form, person=person)


# --- detail, roles, reveal, photo -----------------------------------------------------------------------------


@for_roles(*VIEWERS)
@require_GET
def person_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = _actor(request)
    person = _person(request, uid)
    roles = selectors.person_roles(person)
    held = {r.kind for r in roles if r.is_active}
    role_form = RoleForm()
    role_form.fields["kind"].choices = [(k, label) for k, label in RoleKind.choices if k not in held]
    return render(request, "talent/detail.html", console_context(
        request, title=person.name, crumbs=_crumbs((person.name, None)), person=person, roles=roles, role_form=role_form,
        can_edit=permissions.can_edit(actor, person), can_reveal=permissions.can_reveal(actor, person),
    ))  # fmt: skip


@for_roles(*EDITORS)
@require_POST
def role_add_view(request: HttpRequest, uid: str) -> HttpResponse:
    person = _person(request, uid)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(_detail_url(person))
    try:
        role = services.person_add_role(actor=_actor(request), person=person, kind=form.cleaned_data["kind"],
                                        since=form.cleaned_data["since"], note=form.cleaned_data["note"])  # fmt: skip
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已添加角色：{role.get_kind_display()}")
    return redirect(_detail_url(person))


@for_roles(*EDITORS)
@require_POST
def role_remove_view(request: HttpRequest, uid: str, kind: str) -> HttpResponse:
    person = _person(request, uid)
    try:
        role = services.person_remove_role(actor=_actor(request), person=person, kind=kind)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已停用角色：{role.get_kind_display()}")
    return redirect(_detail_url(person))


@for_roles(*permissions.REVEAL_ROLES)
@require_POST
def reveal_view(request: HttpRequest, uid: str, field: str) -> HttpResponse:
    """One personal value of one person in full, for a permitted actor; who saw which value is audited."""
    person = _person(request, uid)
    if field not in permissions.REVEALABLE or not permissions.can_reveal(_actor(request), person):
        raise Http404
    return render(request, "core/partials/revealed.html", {"value": reveal(obj=person, field=field)})


@for_roles(*VIEWERS)
@require_GET
def photo_view(request: HttpRequest, uid: str) -> HttpResponse:
    """A person's photo, in scope only (kept outside the media root)."""
    person = _person(request, uid)
    if not person.photo:
        raise Http404
    response = file_response(person.photo, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
