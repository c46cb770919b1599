from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "safepath.programmes"
    label = "programmes"
    verbose_name = "Programmes"
