from django.urls import path

from xinghuo.projects import views

app_name = "projects_console"

urlpatterns = [
    path("", views.project_list_view, name="list"),
    path("export/", views.project_export_view, name="export"),
    path("new/", views.project_create_view, name="create"),
    path("calls/", views.call_list_view, name="calls"),
    path("calls/<str:uid>/", views.call_edit_view, name="call_edit"),
    path("calls/<str:uid>/status/", views.call_status_view, name="call_status"),
    path("documents/<str:uid>/", views.document_view, name="document"),
    path("documents/<str:uid>/delete/", views.document_delete_view, name="document_delete"),
    path("<str:uid>/", views.project_view, name="detail"),
    path("<str:uid>/edit/", views.project_edit_view, name="edit"),
    path("<str:uid>/submit/", views.project_submit_view, name="submit"),
    path("<str:uid>/documents/", views.document_upload_view, name="document_upload"),
    path("<str:uid>/allocate/", views.allocate_view, name="allocate"),
    path("<str:uid>/decline/", views.decline_view, name="decline"),
    path("<str:uid>/start/", views.project_start_view, name="start"),
    path("<str:uid>/spending/", views.spending_view, name="spending"),
    path("<str:uid>/acceptance/", views.acceptance_view, name="acceptance"),
    path("<str:uid>/verdict/", views.verdict_view, name="verdict"),
    path("<str:uid>/evaluate/", views.evaluate_view, name="evaluate"),
]
