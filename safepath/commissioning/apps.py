from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "safepath.commissioning"
    label = "commissioning"
    verbose_name = "Commissioning"
