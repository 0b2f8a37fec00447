from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "xinghuo.venues"
    verbose_name = "科普阵地"
