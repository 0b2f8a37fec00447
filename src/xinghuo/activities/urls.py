from django.urls import path

from xinghuo.activities.views import public

app_name = "activities"

urlpatterns = [
    path("activities/", public.calendar_view, name="calendar"),
    path("activities/calendar.ics", public.calendar_feed_view, name="calendar_feed"),
    path("activities/<str:uid>/event.ics", public.event_ics_view, name="event_ics"),
    path("activities/<str:uid>/", public.activity_view, name="detail"),
    path("activities/<str:uid>/register/", public.register_view, name="register"),
    path("me/activities/", public.my_registrations_view, name="my_registrations"),
    path("me/activities/<str:uid>/qr.svg", public.my_registration_qr_view, name="my_registration_qr"),
    path("me/activities/<str:uid>/cancel/", public.my_registration_cancel_view, name="my_registration_cancel"),
]
