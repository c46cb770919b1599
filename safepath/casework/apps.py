from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "safepath.casework"
    label = "casework"
    verbose_name = "Casework"
