"""Core models: the append-only audit log and periodic job bookkeeping."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """Who did what to which record, when and from where.

    Holds identifiers only: never a name, address or free text about a person.
    Rows are append-only: saving an existing row or deleting raises.
    """

    SENSITIVE = True

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        EXPORT = "export", "Exported"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_OUT = "sign_out", "Signed out"
        SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
        PERMISSION_DENIED = "permission_denied", "Permission denied"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Plain ids rather than foreign keys so the log outlives the rows it describes.
    user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    view_name = models.CharField(max_length=128, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    reason = models.CharField(max_length=255, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} {self.object_id}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")


class PeriodicJobRun(models.Model):
    """When each periodic job was last enqueued by `safepath worker`."""

    name = models.CharField(max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


__all__ = ["AppendOnlyError", "AuditEvent", "PeriodicJobRun", "settings"]


class VocabularyTerm(models.Model):
    """A council-configurable list entry (decline reasons, complex needs, ...).

    Codes are stable and used in reports; labels may be reworded; terms are retired
    (is_active False), never deleted, so old records keep their meaning.
    """

    vocabulary = models.CharField(max_length=64, db_index=True)
    code = models.SlugField(max_length=64)
    label = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["vocabulary", "order", "label"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "code"], name="vocabulary_term_unique")]

    def __str__(self) -> str:
        return self.label
