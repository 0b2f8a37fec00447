from django.urls import path

from xinghuo.venues import booking_views, edit_views, views

app_name = "venues"

urlpatterns = [
    path("map/", views.map_view, name="map"),
    path("v/<str:code>/", views.public_detail, name="public_detail"),
    path("v/<str:code>/qr.svg", views.qr_svg, name="qr_svg"),
    path("v/<str:code>/qr.png", views.qr_png, name="qr_png"),
    path("v/<str:code>/photos/<str:uid>.jpg", edit_views.public_photo, name="photo"),
    path("v/<str:code>/book/<str:slot_uid>/", booking_views.book_view, name="book"),
    path("me/bookings/", booking_views.my_bookings_view, name="my_bookings"),
    path("me/bookings/<str:uid>/cancel/", booking_views.my_booking_cancel_view, name="my_booking_cancel"),
]
