"""Rows made by the demo's simulation, written in bulk in the order their keys need.

Rows point at the objects they belong to (a contact at its case, an action at its plan)
before either is saved, so parents are written first. Rows something else points at are
model instances, written with bulk_create (which gives them their keys); the many rows
nothing points at (contacts, status rows, answers…) are plain values, written with one
INSERT run many times: the same columns and values bulk_create would write, without building
a model instance for each (the slow part at this size).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connection, models
from django.utils import timezone

from safepath.cases.models import Case, CaseStatusChange, Handover, RiskReview, VolunteerAssignment
from safepath.casework.models import Consent, Contact, SafetyPlan, SafetyPlanAction, Task
from safepath.core.inserts import preparer
from safepath.outcomes.models import HealthAction, HealthStatusChange, Recording
from safepath.people.models import SafeContact
from safepath.programmes.models import (
    Attendance,
    Cohort,
    Enrolment,
    PerpetratorOrder,
    PerpetratorOrderChange,
    ProgrammeSession,
    VolunteerSession,
)

if TYPE_CHECKING:
    from safepath.demo.cases import World

M = TypeVar("M", bound=models.Model)

ORDER: list[type[models.Model]] = [
    SafeContact,
    CaseStatusChange,
    Contact,
    SafetyPlan,
    SafetyPlanAction,
    Task,
    Consent,
    Consent.scopes.through,
    Recording,
    HealthAction,
    HealthStatusChange,
    RiskReview,
    Handover,
    Cohort,
    Cohort.facilitators.through,
    ProgrammeSession,
    Enrolment,
    Attendance,
    VolunteerAssignment,
    VolunteerSession,
    PerpetratorOrder,
    PerpetratorOrderChange,
]
BATCH = 2000


class Rows:
    def __init__(self) -> None:
        self.pending: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self.values: dict[type[models.Model], list[dict[str, Any]]] = defaultdict(list)

    def add(self, row: M) -> M:
        """A row other rows point at (saved with bulk_create, which gives it its key)."""
        self.pending[type(row)].append(row)
        return row

    def insert(self, model: type[models.Model], **values: Any) -> dict[str, Any]:
        """A row nothing points at: field name → value (a model instance for a foreign key)."""
        self.values[model].append(values)
        return values

    def write(self, world: World) -> None:
        Case.objects.bulk_create([e.case for e in world.episodes], batch_size=BATCH)
        previous = [(e.case.pk, e.previous.pk) for e in world.episodes if e.previous is not None]
        set_values(Case, "previous_case", previous)
        for model in ORDER:
            rows = self.pending.pop(model, [])
            if rows:
                model._default_manager.bulk_create(rows, batch_size=BATCH)
            values = self.values.pop(model, [])
            if values:
                _insert(model, values)
        assert not self.pending and not self.values, f"no place in ORDER for {[*self.pending, *self.values]}"
        world.safe.write()


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """INSERT the rows, every column as bulk_create would prepare it (defaults for those not given)."""
    now = timezone.now()
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        columns.append((field.name, field.attname, now if stamped else field.get_default(), preparer(field)))

    def prepared(row: dict[str, Any]) -> list[Any]:
        out = []
        for name, attname, default, prepare in columns:
            value = row[name] if name in row else row.get(attname, default)
            if isinstance(value, models.Model):
                assert value.pk is not None, f"{model.__name__}.{name} points at an unsaved row"
                value = value.pk
            out.append(value if prepare is None or value is None else prepare(value))
        return out

    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(name).column) for name, *_ in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608 - quoted names
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [prepared(row) for row in rows[start : start + BATCH]])


def set_values(model: type[models.Model], field_name: str, values: list[tuple[int, object]]) -> None:
    """Set one column of many rows, each to its own value."""
    set_columns(model, [field_name], [(pk, [value]) for pk, value in values])


def set_columns(model: type[models.Model], field_names: list[str], values: list[tuple[int, list[object]]]) -> None:
    """Set some columns of many rows, each to its own values, in one statement run many times
    (QuerySet.bulk_update builds one large CASE expression, far slower at this size)."""
    if not values:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    sql = f"UPDATE {table} SET {columns} WHERE {pk} = %s"  # noqa: S608 - quoted names
    params = [
        [*(field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True)), pk]
        for pk, row in values
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
