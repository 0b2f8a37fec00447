from django.apps import AppConfig


class ToursConfig(AppConfig):
    name = "xinghuo.tours"
    verbose_name = "研学线路与泰山TAI科"
