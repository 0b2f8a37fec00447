from django.urls import path

from xinghuo.tours import views

app_name = "tours"

urlpatterns = [
    path("tours/", views.route_list, name="list"),
    path("tours/<str:key>/", views.route_detail, name="detail"),
    path("tours/<str:key>/book/", views.route_book, name="book"),
    path("me/tours/", views.my_bookings, name="my_bookings"),
    path("me/tours/<str:uid>/cancel/", views.my_booking_cancel, name="my_booking_cancel"),
    path("tai/", views.tai_index, name="tai_index"),
    path("tai/trail/<str:trail>/", views.tai_trail, name="tai_trail"),
    path("tai/<str:code>/", views.tai_point, name="tai_point"),
    path("tai/<str:code>/qr.svg", views.tai_qr_svg, name="tai_qr_svg"),
    path("tai/<str:code>/qr.png", views.tai_qr_png, name="tai_qr_png"),
    path("tai/<str:code>/picture.jpg", views.tai_picture, name="tai_picture"),
]
