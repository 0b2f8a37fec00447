from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xinghuo.core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from xinghuo.core import signals  # noqa: F401  (connects the audit of deletions)
