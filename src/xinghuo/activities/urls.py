from django.urls import path

from xinghuo.activities.views import public

app_name = "activities"

urlpatterns = [
    path("activities/<str:uid>/", public.activity_view, name="detail"),
    path("activities/<str:uid>/register/", public.register_view, name="register"),
    path("me/activities/", public.my_registrations_view, name="my_registrations"),
    path("me/activities/<str:uid>/cancel/", public.my_registration_cancel_view, name="my_registration_cancel"),
]
