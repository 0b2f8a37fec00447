from django.urls import path

from xinghuo.core import security_views as views

app_name = "security"

urlpatterns = [
    path("", views.security_overview_view, name="overview"),
    path("unlock/<int:pk>/", views.security_unlock_view, name="unlock"),
]
