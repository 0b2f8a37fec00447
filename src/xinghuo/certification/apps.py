from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "xinghuo.certification"
    verbose_name = "阵地认定"
