from django.urls import path

from xinghuo.officers import views

app_name = "officers_console"

urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("export/", views.overview_export_view, name="overview_export"),
    path("people/", views.officer_list_view, name="people"),
    path("people/export/", views.officer_export_view, name="people_export"),
    path("unregistered/", views.unregistered_view, name="unregistered"),
    path("unregistered/export/", views.unregistered_export_view, name="unregistered_export"),
    path("people/<str:uid>/", views.officer_detail_view, name="person"),
    path("people/<str:uid>/edit/", views.officer_edit_view, name="edit"),
    path("people/<str:uid>/export/", views.officer_months_export_view, name="person_export"),
    path("top/", views.top_view, name="top"),
    path("top/export/", views.top_export_view, name="top_export"),
    path("register/", views.register_view, name="register"),
    path("import/", views.import_view, name="import"),
    path("import/template/", views.import_template_view, name="import_template"),
]
