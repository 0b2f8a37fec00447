from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "xinghuo.volunteers"
    verbose_name = "科技志愿服务"
