"""The reports' routes, without a namespace of their own: the console's indicator routes (urls_console.py) include
them in `indicators_console`, under /console/indicators/. Reverse them as `indicators_console:<name>`."""

from django.urls import path

from xinghuo.indicators import views_reports as views

urlpatterns = [
    path("reports/workbook/", views.export_view, name="export"),
    path("reports/progress/", views.report_pdf_view, name="report_pdf"),
    path("reports/statistics/", views.statistics_view, name="statistics"),
    path("reports/statistics/workbook/", views.statistics_export_view, name="statistics_export"),
]
