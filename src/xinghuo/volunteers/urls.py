from django.urls import path

from xinghuo.volunteers.views import public

app_name = "volunteers"

urlpatterns = [
    path("notice/", public.notice_view, name="notice"),
    path("stars/", public.stars_view, name="stars"),
    path("verify/", public.verify_form_view, name="verify_form"),
    path("verify/<str:number>/", public.verify_view, name="verify"),
]
