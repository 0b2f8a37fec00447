from django.urls import path

from xinghuo.venues import views

app_name = "venues"

urlpatterns = [
    path("map/", views.map_view, name="map"),
    path("v/<str:code>/", views.public_detail, name="public_detail"),
    path("v/<str:code>/qr.svg", views.qr_svg, name="qr_svg"),
    path("v/<str:code>/qr.png", views.qr_png, name="qr_png"),
]
