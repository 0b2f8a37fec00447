from django.urls import path

from xinghuo.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("news/", views.news_list, name="news_list"),
    path("news/<str:uid>/", views.news_detail, name="news_detail"),
    path("me/", views.me, name="me"),
]
