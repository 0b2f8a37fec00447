from django.urls import path

from xinghuo.tours import console_views as views

app_name = "tours_console"

urlpatterns = [
    path("", views.route_list, name="list"),
    path("export/", views.route_export, name="export"),
    path("new/", views.route_create, name="create"),
    path("bookings/", views.booking_list, name="bookings"),
    path("bookings/export/", views.booking_export, name="bookings_export"),
    path("bookings/<str:uid>/<str:action>/", views.booking_action, name="booking_action"),
    path("tai/", views.tai_list, name="tai_list"),
    path("tai/new/", views.tai_create, name="tai_create"),
    path("tai/print/", views.tai_print, name="tai_print"),
    path("tai/export/", views.tai_export, name="tai_export"),
    path("tai/<str:uid>/edit/", views.tai_edit, name="tai_edit"),
    path("tai/<str:uid>/picture/", views.tai_picture, name="tai_picture"),
    path("<str:uid>/edit/", views.route_edit, name="edit"),
    path("<str:uid>/publish/", views.route_publish, name="publish"),
    path("<str:uid>/withdraw/", views.route_withdraw, name="withdraw"),
]
