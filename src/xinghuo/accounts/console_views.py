"""The system admin's pages: staff accounts, role grants, password resets and API tokens.

The system admin manages accounts and settings only (三权分立): these pages touch no business data."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinghuo.accounts import selectors, services
from xinghuo.accounts.console_forms import GrantForm, PasswordResetForm, StaffUserForm, TokenForm, UserFilterForm
from xinghuo.accounts.models import Membership
from xinghuo.accounts.roles import Role
from xinghuo.console.context import console_context, paginated
from xinghuo.core.access import for_roles
from xinghuo.core.errors import DomainError, NotFound
from xinghuo.core.excel import Column, export_response
from xinghuo.core.masking import mask_phone
from xinghuo.core.personal import reveal
from xinghuo.organisations.models import Organisation

ADMIN = Role.SYSTEM_ADMIN


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("账号与角色", reverse("accounts_console:user_list")), *extra]


def _filtered(request: HttpRequest) -> tuple[UserFilterForm, dict]:
    form = UserFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, {"q": data.get("q", ""), "kind": data.get("kind", ""), "role": data.get("role", "")}


@for_roles(ADMIN)
@require_GET
def user_list_view(request: HttpRequest) -> HttpResponse:
    form, filters = _filtered(request)
    listing = paginated(request, selectors.user_list(**filters))
    rows = [(u, mask_phone(u.phone)) for u in listing["page_obj"]]
    return render(request, "accounts/console/user_list.html", console_context(
        request, title="账号与角色", crumbs=[("账号与角色", None)], form=form, rows=rows, **listing,
    ))  # fmt: skip


USER_COLUMNS = [
    Column("用户名", lambda u: u.username or ""),
    Column("姓名", lambda u: u.name),
    Column("手机号", lambda u: mask_phone(u.phone)),
    Column("类型", lambda u: u.get_kind_display()),
    Column("角色", lambda u: "；".join(f"{m.get_role_display()}@{m.organisation.name}" for m in u.memberships.all()), 40),
    Column("启用", lambda u: u.is_active, 8),
    Column("最近登录", lambda u: u.last_login, 18),
    Column("注册时间", lambda u: u.created_at, 18),
]


@for_roles(ADMIN)
@require_GET
def user_export_view(request: HttpRequest) -> HttpResponse:
    _, filters = _filtered(request)
    return export_response(
        filename="账号", sheet="账号", columns=USER_COLUMNS, rows=selectors.user_list(**filters).iterator(chunk_size=1000),
        object_type="accounts.user", filters=filters,
    )  # fmt: skip


@for_roles(ADMIN)
@require_http_methods(["GET", "POST"])
def user_create_view(request: HttpRequest) -> HttpResponse:
    form = StaffUserForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create_staff(
                username=data["username"], name=data["name"], password=data["password"], phone=data["phone"] or None,
                temporary=True,
            )  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已创建工作人员账号“{user.username}”，请为其授予角色")
            return redirect("accounts_console:user_detail", uid=user.uid)
    return render(request, "accounts/console/user_form.html", console_context(
        request, title="新建工作人员账号", crumbs=_crumbs(("新建账号", None)), form=form,
    ), status=400 if form.errors else 200)  # fmt: skip


def _user(uid: str):
    try:
        return selectors.get_user(uid)
    except NotFound as exc:
        raise Http404 from exc


def _grant_form(request: HttpRequest, data=None) -> GrantForm:
    orgs = list(Organisation.objects.filter(is_active=True).select_related("region").order_by("path"))
    return GrantForm(data, organisations=orgs)


@for_roles(ADMIN)
@require_GET
def user_detail_view(request: HttpRequest, uid: str) -> HttpResponse:
    user = _user(uid)
    memberships = user.memberships.select_related("organisation").order_by("-is_active", "role")
    return render(request, "accounts/console/user_detail.html", console_context(
        request, title=user.display_name, crumbs=_crumbs((user.display_name, None)), subject=user,
        masked_phone=mask_phone(user.phone), memberships=memberships, grant_form=_grant_form(request),
        reset_form=PasswordResetForm(),
    ))  # fmt: skip


@for_roles(ADMIN)
@require_POST
def user_grant_view(request: HttpRequest, uid: str) -> HttpResponse:
    user = _user(uid)
    form = _grant_form(request, request.POST)
    if form.is_valid():
        try:
            services.membership_grant(
                user=user, organisation=form.cleaned_data["organisation"], role=form.cleaned_data["role"], granted_by=request.user
            )  # type: ignore[arg-type]
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已授予角色")
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("accounts_console:user_detail", uid=user.uid)


@for_roles(ADMIN)
@require_POST
def user_reveal_phone_view(request: HttpRequest, uid: str) -> HttpResponse:
    """The system admin may see a user's full phone number (to reach them); the view is audited."""
    user = _user(uid)
    return render(request, "core/partials/revealed.html", {"value": reveal(obj=user, field="phone")})


@for_roles(ADMIN)
@require_POST
def membership_revoke_view(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        membership = selectors.get_membership(uid)
    except NotFound as exc:
        raise Http404 from exc
    services.membership_revoke(membership=membership)
    messages.success(request, f"已撤销角色：{membership}")
    return redirect("accounts_console:user_detail", uid=membership.user.uid)


@for_roles(ADMIN)
@require_POST
def user_toggle_active_view(request: HttpRequest, uid: str) -> HttpResponse:
    user = _user(uid)
    if user.pk == request.user.pk:
        messages.error(request, "不能停用自己的账号")
    else:
        services.user_set_active(user=user, active=not user.is_active)
        messages.success(request, "已启用该账号" if user.is_active else "已停用该账号")
    return redirect("accounts_console:user_detail", uid=user.uid)


@for_roles(ADMIN)
@require_POST
def user_reset_password_view(request: HttpRequest, uid: str) -> HttpResponse:
    user = _user(uid)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            services.password_reset_by_admin(user=user, new_password=form.cleaned_data["password"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已设置临时密码；该用户下次登录时须修改密码")
    else:
        messages.error(request, "请填写临时密码")
    return redirect("accounts_console:user_detail", uid=user.uid)


@for_roles(ADMIN)
@require_http_methods(["GET", "POST"])
def token_list_view(request: HttpRequest) -> HttpResponse:
    memberships = list(
        Membership.objects.filter(is_active=True).exclude(role__in=[Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
        .select_related("user", "organisation").order_by("organisation__path")
    )  # fmt: skip
    form = TokenForm(request.POST if request.method == "POST" else None, memberships=memberships)
    issued_key = None
    if request.method == "POST" and form.is_valid():
        try:
            token, issued_key = services.token_issue(
                membership=form.cleaned_data["membership"], name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已签发令牌“{token.name}”。令牌只显示这一次，请立即复制保存。")
            form = TokenForm(memberships=memberships)
    page = Paginator(selectors.token_list(), 20).get_page(request.GET.get("page"))
    return render(request, "accounts/console/token_list.html", console_context(
        request, title="接口令牌", crumbs=[("接口令牌", None)], form=form, page_obj=page, issued_key=issued_key,
    ), status=400 if form.errors else 200)  # fmt: skip


@for_roles(ADMIN)
@require_POST
def token_revoke_view(request: HttpRequest, uid: str) -> HttpResponse:
    try:
        token = selectors.get_token(uid)
    except NotFound as exc:
        raise Http404 from exc
    services.token_revoke(token=token)
    messages.success(request, f"已吊销令牌“{token.name}”")
    return redirect("accounts_console:token_list")
