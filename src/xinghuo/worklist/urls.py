from django.urls import path

from xinghuo.worklist import views_public

app_name = "worklist"

urlpatterns = [
    path("", views_public.practices_view, name="practices"),
]
