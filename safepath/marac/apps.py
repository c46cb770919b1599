from django.apps import AppConfig


class MaracConfig(AppConfig):
    name = "safepath.marac"
    label = "marac"
    verbose_name = "MARAC"
