from django.urls import path

from xinghuo.experts.views import public

app_name = "experts"

urlpatterns = [
    path("", public.lists_view, name="lists"),
    path("<int:year>/", public.year_view, name="year"),
    path("notice/", public.notice_view, name="notice"),
    path("notice/<str:uid>/objection/", public.objection_view, name="objection"),
    path("photo/<str:uid>/", public.photo_view, name="photo"),
]
