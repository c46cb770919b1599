from django.apps import AppConfig


class AccommodationConfig(AppConfig):
    name = "safepath.accommodation"
    label = "accommodation"
    verbose_name = "Safe accommodation"
