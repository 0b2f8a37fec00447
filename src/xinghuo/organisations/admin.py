from django.contrib import admin
from django_scopes import scopes_disabled

from xinghuo.core.admin import SystemAdminModelAdmin, admin_site
from xinghuo.organisations.models import Organisation


@admin.register(Organisation, site=admin_site)
class OrganisationAdmin(SystemAdminModelAdmin):
    list_display = ("name", "code", "kind", "region", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    list_select_related = ("region",)
    fields = ("code", "name", "short_name", "kind", "parent", "region", "credit_code", "address", "is_active")
    readonly_fields = fields

    def get_queryset(self, request):
        with scopes_disabled():
            return Organisation.unscoped.select_related("region")
