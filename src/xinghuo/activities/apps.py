from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "xinghuo.activities"
    verbose_name = "科普活动"
