from django.urls import path

from xinghuo.promoters import views

app_name = "promoters_console"

urlpatterns = [
    path("", views.coverage_view, name="coverage"),
    path("export/", views.coverage_export_view, name="coverage_export"),
    path("uncovered/", views.uncovered_view, name="uncovered"),
    path("uncovered/export/", views.uncovered_export_view, name="uncovered_export"),
    path("people/", views.promoter_list_view, name="people"),
    path("people/export/", views.promoter_export_view, name="people_export"),
    path("people/<str:uid>/", views.promoter_detail_view, name="person"),
    path("areas/<str:uid>/release/", views.area_release_view, name="release"),
]
