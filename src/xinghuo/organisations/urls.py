from django.urls import path

from xinghuo.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list_view, name="list"),
    path("export/", views.organisation_export_view, name="export"),
    path("new/", views.organisation_create_view, name="create"),
    path("<str:uid>/", views.organisation_detail_view, name="detail"),
    path("<str:uid>/edit/", views.organisation_edit_view, name="edit"),
    path("<str:uid>/reveal-phone/", views.organisation_reveal_phone_view, name="reveal_phone"),
]
