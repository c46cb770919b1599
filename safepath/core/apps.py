from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safepath.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from safepath.core import signals  # noqa: F401  (sign-in auditing)
