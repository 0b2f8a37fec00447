from django.apps import AppConfig


class OfficersConfig(AppConfig):
    name = "xinghuo.officers"
    verbose_name = "科普中国信息员"
