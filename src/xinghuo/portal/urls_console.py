from django.urls import path

from xinghuo.portal import console_views as views

app_name = "portal_console"

urlpatterns = [
    path("", views.news_list_view, name="news_list"),
    path("export/", views.news_export_view, name="news_export"),
    path("new/", views.news_create_view, name="news_create"),
    path("<str:uid>/", views.news_detail_view, name="news_detail"),
    path("<str:uid>/edit/", views.news_edit_view, name="news_edit"),
    path("<str:uid>/publish/", views.news_publish_view, name="news_publish"),
    path("<str:uid>/withdraw/", views.news_withdraw_view, name="news_withdraw"),
]
