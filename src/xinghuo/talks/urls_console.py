from django.urls import path

from xinghuo.talks import views

app_name = "talks_console"

urlpatterns = [
    path("", views.talk_list_view, name="list"),
    path("export/", views.talk_export_view, name="export"),
    path("new/", views.talk_request_view, name="request"),
    path("experts/<str:uid>/", views.expert_view, name="expert"),
    path("<str:uid>/", views.talk_detail_view, name="detail"),
    path("<str:uid>/confirm/", views.talk_confirm_view, name="confirm"),
    path("<str:uid>/decline/", views.talk_decline_view, name="decline"),
    path("<str:uid>/cancel/", views.talk_cancel_view, name="cancel"),
    path("<str:uid>/feedback/", views.talk_feedback_view, name="feedback"),
]
