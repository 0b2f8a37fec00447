from django.urls import path

from xinghuo.indicators import urls_reports, views

app_name = "indicators_console"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("refresh/", views.refresh_view, name="refresh"),
    path("publication/", views.publication_view, name="publication"),
    *urls_reports.urlpatterns,  # reports/…: before the indicators' keys
    path("<slug:key>/", views.indicator_view, name="indicator"),
    path("<slug:key>/export/", views.indicator_export_view, name="indicator_export"),
]
