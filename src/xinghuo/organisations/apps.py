from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "xinghuo.organisations"
    verbose_name = "组织机构"
