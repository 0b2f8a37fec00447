from django.urls import path

from xinghuo.certification.views import public as public_views

app_name = "certification"

urlpatterns = [
    path("notice/", public_views.notice_list_view, name="notice"),
    path("notice/<str:uid>/objection/", public_views.objection_view, name="objection"),
    path("certified/", public_views.certified_list_view, name="certified"),
]
