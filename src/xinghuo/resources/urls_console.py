from django.urls import path

from xinghuo.resources.views import console, courses

app_name = "resources_console"

urlpatterns = [
    path("", console.resource_list_view, name="list"),
    path("export/", console.resource_export_view, name="export"),
    path("new/", console.resource_create_view, name="create"),
    path("queue/", console.queue_view, name="queue"),
    path("reviewers/", console.reviewers_view, name="reviewers"),
    path("lexicon/", console.lexicon_view, name="lexicon"),
    path("lookup/", courses.resource_lookup_view, name="lookup"),
    path("courses/", courses.course_list_view, name="courses"),
    path("courses/new/", courses.course_create_view, name="course_create"),
    path("courses/<str:uid>/", courses.course_edit_view, name="course_edit"),
    path("courses/<str:uid>/publish/", courses.course_publish_view, name="course_publish"),
    path("<str:uid>/", console.resource_detail_view, name="detail"),
    path("<str:uid>/edit/", console.resource_edit_view, name="edit"),
    path("<str:uid>/submit/", console.submit_view, name="submit"),
    path("<str:uid>/assign/", console.assign_view, name="assign"),
    path("<str:uid>/first-review/", console.first_review_view, name="first_review"),
    path("<str:uid>/second-review/", console.second_review_view, name="second_review"),
    path("<str:uid>/withdraw/", console.withdraw_view, name="withdraw"),
    path("<str:uid>/notice/", console.notice_view, name="notice"),
    path("<str:uid>/pin/", console.pin_view, name="pin"),
    path("<str:uid>/media/", console.media_view, name="media"),
    path("<str:uid>/cover.jpg", console.cover_view, name="cover"),
]
