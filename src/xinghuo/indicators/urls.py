from django.urls import path

from xinghuo.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.public_summary_view, name="public"),
]
