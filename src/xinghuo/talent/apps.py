from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "xinghuo.talent"
    verbose_name = "人才队伍"
