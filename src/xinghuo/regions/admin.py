from django.contrib import admin
from django.db import transaction

from xinghuo.core.admin import SystemAdminModelAdmin, admin_site
from xinghuo.regions.models import Region
from xinghuo.regions.services import regions_changed


@admin.register(Region, site=admin_site)
class RegionAdmin(SystemAdminModelAdmin):
    list_display = ("code", "name", "level", "county", "zone")
    list_filter = ("level",)
    search_fields = ("code", "name")
    list_select_related = ("county", "zone")
    readonly_fields = ("code", "level", "parent", "city", "county", "town", "statistical")
    fields = ("code", "name", "short_name", "level", "parent", "city", "county", "town", "zone", "statistical")
    editable = True  # names and the administering zone may be corrected by the system admin

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(regions_changed)
