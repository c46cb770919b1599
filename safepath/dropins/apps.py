from django.apps import AppConfig


class DropinsConfig(AppConfig):
    name = "safepath.dropins"
    label = "dropins"
    verbose_name = "One-stop shops and drop-ins"
