from django.urls import path

from xinghuo.venues import booking_views, edit_views, views

app_name = "venues_console"

urlpatterns = [
    path("", views.console_list, name="list"),
    path("export/", views.console_export, name="export"),
    path("new/", views.console_create, name="create"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("bookings/", booking_views.console_bookings_view, name="bookings"),
    path("bookings/export/", booking_views.console_bookings_export_view, name="bookings_export"),
    path("bookings/<str:uid>/<str:action>/", booking_views.console_booking_action_view, name="booking_action"),
    path("photos/<str:uid>/", edit_views.console_photo, name="photo"),
    path("photos/<str:uid>/delete/", edit_views.console_photo_delete, name="photo_delete"),
    path("<str:uid>/", edit_views.console_detail, name="detail"),
    path("<str:uid>/photos/", edit_views.console_photo_upload, name="photo_upload"),
    path("<str:uid>/slots/", booking_views.console_slots_view, name="slots"),
]
