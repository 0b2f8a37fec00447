from django.urls import path

from xinghuo.resources.views import public

app_name = "library"

urlpatterns = [
    path("library/", public.home_view, name="home"),
    path("library/r/<str:uid>/", public.resource_view, name="resource"),
    path("library/r/<str:uid>/media", public.media_view, name="media"),
    path("library/r/<str:uid>/cover.jpg", public.cover_view, name="cover"),
]
