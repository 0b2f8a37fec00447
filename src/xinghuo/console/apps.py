from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "xinghuo.console"
    verbose_name = "管理后台"
