from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "xinghuo.resources"
    verbose_name = "科普资源"
