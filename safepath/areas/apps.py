from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "safepath.areas"
    label = "areas"
    verbose_name = "Areas"
