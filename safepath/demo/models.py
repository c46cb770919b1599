"""What the demo database holds, so the home page can tell a newcomer what they are looking at."""

from __future__ import annotations

from django.db import models


class LoadedScenario(models.Model):
    """The scenario `safepath demo` loaded (one row; a later run of another scenario replaces it)."""

    name = models.CharField(max_length=40, unique=True)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name
