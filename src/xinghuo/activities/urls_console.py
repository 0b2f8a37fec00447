from django.urls import path

from xinghuo.activities.views import console

app_name = "activities_console"

urlpatterns = [
    path("", console.activity_list_view, name="list"),
    path("export/", console.activity_export_view, name="export"),
    path("new/", console.activity_create_view, name="create"),
    path("brands/", console.brands_view, name="brands"),
    path("brands/targets/", console.targets_view, name="targets"),
    path("import/", console.import_view, name="import"),
    path("import/template.xlsx", console.import_template_view, name="import_template"),
    path("photos/<str:uid>/", console.photo_view, name="photo"),
    path("photos/<str:uid>/delete/", console.photo_delete_view, name="photo_delete"),
    path("registrations/<str:uid>/cancel/", console.registration_cancel_view, name="registration_cancel"),
    path("<str:uid>/", console.activity_detail_view, name="detail"),
    path("<str:uid>/edit/", console.activity_edit_view, name="edit"),
    path("<str:uid>/submit/", console.submit_view, name="submit"),
    path("<str:uid>/review/", console.review_view, name="review"),
    path("<str:uid>/held/", console.held_view, name="held"),
    path("<str:uid>/report/", console.report_view, name="report"),
    path("<str:uid>/verify/", console.verify_view, name="verify"),
    path("<str:uid>/cancel/", console.cancel_view, name="cancel"),
    path("<str:uid>/checkin/", console.checkin_view, name="checkin"),
    path("<str:uid>/registrations/export/", console.registrations_export_view, name="registrations_export"),
]
