from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "safepath.demo"
    label = "demo"
    verbose_name = "Demo scenarios"
