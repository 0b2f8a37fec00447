from django.conf import settings
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from xinghuo.config.api import api
from xinghuo.core import views as core_views
from xinghuo.core.access import public
from xinghuo.core.admin import admin_site

urlpatterns = [
    path("", include("xinghuo.portal.urls")),
    path("", include("xinghuo.venues.urls")),
    path("certification/", include("xinghuo.certification.urls")),
    path("experts/", include("xinghuo.experts.urls")),
    path("practices/", include("xinghuo.worklist.urls")),
    path("", include("xinghuo.tours.urls")),
    path("", include("xinghuo.activities.urls")),
    path("", include("xinghuo.resources.urls")),
    path("volunteers/", include("xinghuo.volunteers.urls")),
    path("accounts/", include("xinghuo.accounts.urls")),
    path("console/", include("xinghuo.console.urls")),
    path("console/organisations/", include("xinghuo.organisations.urls")),
    path("console/accounts/", include("xinghuo.accounts.urls_console")),
    path("console/news/", include("xinghuo.portal.urls_console")),
    path("console/audit/", include("xinghuo.core.urls_audit")),
    path("console/security/", include("xinghuo.core.urls_security")),
    path("console/venues/", include("xinghuo.venues.urls_console")),
    path("console/certification/", include("xinghuo.certification.urls_console")),
    path("console/tours/", include("xinghuo.tours.urls_console")),
    path("console/activities/", include("xinghuo.activities.urls_console")),
    path("console/resources/", include("xinghuo.resources.urls_console")),
    path("console/talent/", include("xinghuo.talent.urls_console")),
    path("console/promoters/", include("xinghuo.promoters.urls_console")),
    path("console/talks/", include("xinghuo.talks.urls_console")),
    path("console/experts/", include("xinghuo.experts.urls_console")),
    path("console/officers/", include("xinghuo.officers.urls_console")),
    path("console/volunteers/", include("xinghuo.volunteers.urls_console")),
    path("console/worklist/", include("xinghuo.worklist.urls_console")),
    path("console/indicators/", include("xinghuo.indicators.urls_console")),
    path("api/v1/", api.urls),
    path("sysadmin/", admin_site.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/language/", core_views.set_language, name="set_language"),
    path("i18n/large-text/", core_views.toggle_large_text, name="large_text"),
    path("i18n/catalog.js", public(JavaScriptCatalog.as_view()), name="js_catalog"),
]

handler404 = "xinghuo.core.views.page_not_found"
handler500 = "xinghuo.core.views.server_error"

if settings.DEBUG:  # media in development; production serves var/media through the web server
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
