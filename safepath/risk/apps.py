from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "safepath.risk"
    label = "risk"
    verbose_name = "Risk assessment"
