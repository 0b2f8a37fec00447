from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "xinghuo.indicators"
    verbose_name = "指标与数据驾驶舱"
