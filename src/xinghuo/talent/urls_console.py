from django.urls import path

from xinghuo.talent import views

app_name = "talent_console"

urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("export/", views.person_export_view, name="export"),
    path("find/", views.person_find_view, name="find"),
    path("import/", views.import_view, name="import"),
    path("import/template/", views.import_template_view, name="import_template"),
    path("new/", views.person_create_view, name="create"),
    path("<str:uid>/", views.person_detail_view, name="detail"),
    path("<str:uid>/edit/", views.person_edit_view, name="edit"),
    path("<str:uid>/photo/", views.photo_view, name="photo"),
    path("<str:uid>/roles/", views.role_add_view, name="role_add"),
    path("<str:uid>/roles/<str:kind>/remove/", views.role_remove_view, name="role_remove"),
    path("<str:uid>/reveal/<str:field>/", views.reveal_view, name="reveal"),
]
