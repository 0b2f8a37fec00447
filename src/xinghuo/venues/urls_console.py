from django.urls import path

from xinghuo.venues import views

app_name = "venues_console"

urlpatterns = [
    path("", views.console_list, name="list"),
    path("export/", views.console_export, name="export"),
]
