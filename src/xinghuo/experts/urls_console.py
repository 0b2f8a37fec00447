from django.urls import path

from xinghuo.experts.views import console as views

app_name = "experts_console"

urlpatterns = [
    path("", views.selection_list_view, name="selections"),
    path("open/", views.selection_open_view, name="selection_open"),
    path("selections/<str:uid>/", views.selection_detail_view, name="selection"),
    path("selections/<str:uid>/export/", views.selection_export_view, name="selection_export"),
    path("selections/<str:uid>/nominate/", views.nominate_view, name="nominate"),
    path("selections/<str:uid>/notice/", views.start_notice_view, name="start_notice"),
    path("selections/<str:uid>/publish/", views.publish_view, name="publish"),
    path("nominations/<str:uid>/", views.nomination_detail_view, name="nomination"),
    path("nominations/<str:uid>/review/", views.review_view, name="review"),
    path("nominations/<str:uid>/resubmit/", views.resubmit_view, name="resubmit"),
    path("nominations/<str:uid>/withdraw/", views.withdraw_view, name="withdraw"),
    path("nominations/<str:uid>/objections/<str:objection_uid>/answer/", views.objection_answer_view, name="objection_answer"),
    path("pool/", views.pool_list_view, name="pool"),
    path("pool/<str:uid>/", views.pool_person_view, name="pool_person"),
    path("pool/<str:uid>/accounts/", views.account_add_view, name="account_add"),
    path("accounts/<str:uid>/delete/", views.account_remove_view, name="account_remove"),
    path("studios/", views.studio_list_view, name="studios"),
    path("studios/<str:uid>/", views.studio_detail_view, name="studio"),
    path("members/<str:uid>/remove/", views.member_remove_view, name="member_remove"),
]
