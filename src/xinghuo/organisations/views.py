"""Console pages for organisations: list with filters and export, detail, create, edit."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts.roles import Role
from xinghuo.console.context import console_context, paginated
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.core.masking import mask_phone
from xinghuo.core.personal import reveal
from xinghuo.organisations import selectors, services
from xinghuo.organisations.forms import OrganisationFilterForm, OrganisationForm
from xinghuo.organisations.models import Organisation
from xinghuo.organisations.permissions import EDITOR_ROLES, can_create_organisation, can_edit_organisation
from xinghuo.regions.selectors import working_regions

VIEWER_ROLES = (Role.CITY_STAFF, Role.COUNTY_STAFF, Role.ORGANISER, Role.SYSTEM_ADMIN)


def _filters(request: HttpRequest) -> tuple[OrganisationFilterForm, selectors.OrganisationFilters]:
    actor = request.xh_actor  # type: ignore[attr-defined]
    form = OrganisationFilterForm(request.GET or None, regions=working_regions(actor))
    if form.is_valid():
        data = form.cleaned_data
        return form, selectors.OrganisationFilters(q=data["q"], kind=data["kind"], region=data["region"])
    return form, selectors.OrganisationFilters()


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("组织机构", reverse("organisations:list")), *extra]


@for_roles(*VIEWER_ROLES)
@require_GET
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    return render(request, "organisations/list.html", console_context(
        request, title="组织机构", crumbs=[("组织机构", None)], form=form,
        **paginated(request, selectors.organisation_list(filters=filters)),
        can_create=can_create_organisation(request.xh_actor),  # type: ignore[attr-defined]
    ))  # fmt: skip


EXPORT_COLUMNS = [
    Column("机构代码", lambda o: o.code, 18),
    Column("名称", lambda o: o.name, 30),
    Column("简称", lambda o: o.short_name),
    Column("类型", lambda o: o.get_kind_display(), 18),
    Column("上级机构", lambda o: o.parent.name if o.parent else "", 24),
    Column("所在区划", lambda o: o.region.name),
    Column("区划代码", lambda o: o.region.code, 14),
    Column("统一社会信用代码", lambda o: o.credit_code, 22),
    Column("联系人", lambda o: o.contact_name),
    Column("联系电话", lambda o: mask_phone(o.contact_phone)),
    Column("地址", lambda o: o.address, 30),
    Column("启用", lambda o: o.is_active, 8),
]


@for_roles(*VIEWER_ROLES)
@require_GET
def organisation_export_view(request: HttpRequest) -> HttpResponse:
    _, filters = _filters(request)
    rows = selectors.organisation_list(filters=filters).iterator(chunk_size=2000)
    return export_response(
        filename="组织机构", sheet="组织机构", columns=EXPORT_COLUMNS, rows=rows,
        object_type="organisations.organisation", filters=filters.__dict__,
    )  # fmt: skip


def _get(uid: str) -> Organisation:
    try:
        return selectors.get_organisation_for_actor(uid)
    except NotFound as exc:
        raise Http404 from exc


@for_roles(Role.CITY_STAFF, Role.COUNTY_STAFF)
@require_POST
def organisation_reveal_phone_view(request: HttpRequest, uid: str) -> HttpResponse:
    """City and county staff may see a contact's full phone number in their scope; the view is audited."""
    org = _get(uid)
    return render(request, "core/partials/revealed.html", {"value": reveal(obj=org, field="contact_phone")})


@for_roles(*VIEWER_ROLES)
@require_GET
def organisation_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    org = _get(uid)
    children = selectors.organisation_list().filter(parent=org)
    return render(request, "organisations/detail.html", console_context(
        request, title=org.name, crumbs=_crumbs((org.name, None)), org=org, children=children,
        masked_phone=mask_phone(org.contact_phone),
        can_reveal=request.xh_actor.role in (Role.CITY_STAFF, Role.COUNTY_STAFF),  # type: ignore[attr-defined]
        can_edit=can_edit_organisation(request.xh_actor, org),  # type: ignore[attr-defined]
    ))  # fmt: skip


def _form(request: HttpRequest, **kwargs) -> OrganisationForm:
    actor = request.xh_actor  # type: ignore[attr-defined]
    parents = list(selectors.organisation_list(filters=selectors.OrganisationFilters(active=True)))
    return OrganisationForm(
        request.POST if request.method == "POST" else None, actor=actor, parents=parents, regions=working_regions(actor), **kwargs
    )


@for_roles(*EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def organisation_create_view(request: HttpRequest) -> HttpResponse:
    actor = request.xh_actor  # type: ignore[attr-defined]
    if not can_create_organisation(actor):
        raise Http404
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = services.organisation_create(
                name=data["name"], kind=data["kind"], parent=data["parent"], region=data["region"],
                short_name=data["short_name"], credit_code=data["credit_code"], contact_name=data["contact_name"],
                contact_phone=data["contact_phone"], address=data["address"],
            )  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已新增机构“{org.name}”")
            return redirect("organisations:detail", uid=org.uid)
    return render(request, "organisations/form.html", console_context(
        request, title="新增机构", crumbs=_crumbs(("新增机构", None)), form=form,
    ), status=400 if form.errors else 200)  # fmt: skip


@for_roles(*EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def organisation_edit_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = request.xh_actor  # type: ignore[attr-defined]
    org = _get(uid)
    if not can_edit_organisation(actor, org):
        raise Http404
    initial = {
        "name": org.name, "short_name": org.short_name, "kind": org.kind, "parent": str(org.parent.uid) if org.parent else "",
        "region": org.region.code, "credit_code": org.credit_code, "contact_name": org.contact_name,
        "contact_phone": org.contact_phone, "address": org.address,
    }  # fmt: skip
    form = _form(request, initial=initial)
    form.fields["parent"].disabled = True
    form.fields["parent"].required = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.organisation_update(
                organisation=org, name=data["name"], short_name=data["short_name"], kind=data["kind"],
                region=data["region"], credit_code=data["credit_code"], contact_name=data["contact_name"],
                contact_phone=data["contact_phone"], address=data["address"],
            )  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已保存")
            return redirect("organisations:detail", uid=org.uid)
    return render(request, "organisations/form.html", console_context(
        request, title=f"编辑：{org.name}", crumbs=_crumbs((org.name, reverse("organisations:detail", args=[org.uid])), ("编辑", None)),
        form=form, org=org,
    ), status=400 if form.errors else 200)  # fmt: skip
