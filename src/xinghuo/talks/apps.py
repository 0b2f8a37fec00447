from django.apps import AppConfig


class TalksConfig(AppConfig):
    name = "xinghuo.talks"
    verbose_name = "点单式科普"
