from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "xinghuo.projects"
    verbose_name = "科普项目"
