from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "safepath.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes"
