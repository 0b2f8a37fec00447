from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "xinghuo.worklist"
    verbose_name = "专项工作清单"
