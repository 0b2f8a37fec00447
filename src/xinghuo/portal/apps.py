from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "xinghuo.portal"
    verbose_name = "门户"
