"""The Django admin, for the system admin only (acting in that role, past the second factor).

It shows accounts and base data; business data is never registered here, and the audit trail is the
audit admin's (console /console/audit/). Changes made here go through model saves and are audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xinghuo.accounts.roles import Role
from xinghuo.core.access import needs_second_factor


class XinghuoAdminSite(admin.AdminSite):
    site_header = "星火科普 · 系统管理"
    site_title = "星火科普系统管理"
    index_title = "系统管理（仅系统管理员）"
    login_template = None

    def has_permission(self, request: HttpRequest) -> bool:
        actor = getattr(request, "xh_actor", None)
        if actor is None or actor.role != Role.SYSTEM_ADMIN or not actor.user.is_active:
            return False
        return not needs_second_factor(actor.user)

    def login(self, request: HttpRequest, extra_context: Any = None) -> Any:
        from django.shortcuts import redirect

        return redirect(f"/accounts/login/?next={request.get_full_path()}")


admin_site = XinghuoAdminSite(name="admin")


class SystemAdminModelAdmin(admin.ModelAdmin):
    """Every permission follows the site's: the system admin may view; edits are opted in per model."""

    editable = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.editable and admin_site.has_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
