from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "safepath.reporting"
    label = "reporting"
    verbose_name = "Reporting"
