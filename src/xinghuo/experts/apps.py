from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "xinghuo.experts"
    verbose_name = "泰山科普名家库"
