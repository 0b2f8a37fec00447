from django.contrib import admin

from xinghuo.accounts.models import Membership, User
from xinghuo.core.admin import SystemAdminModelAdmin, admin_site


@admin.register(User, site=admin_site)
class UserAdmin(SystemAdminModelAdmin):
    list_display = ("username", "name", "kind", "is_active", "last_login")
    list_filter = ("kind", "is_active")
    search_fields = ("username", "name")
    fields = ("username", "name", "kind", "is_active", "last_login", "password_changed_at", "created_at")
    readonly_fields = fields


@admin.register(Membership, site=admin_site)
class MembershipAdmin(SystemAdminModelAdmin):
    list_display = ("user", "role", "organisation", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("user", "organisation")
    fields = ("user", "role", "organisation", "is_active", "created_at")
    readonly_fields = fields
