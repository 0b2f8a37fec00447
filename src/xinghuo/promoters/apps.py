from django.apps import AppConfig


class PromotersConfig(AppConfig):
    name = "xinghuo.promoters"
    verbose_name = "星火科普宣传员"
