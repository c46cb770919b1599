"""Plain INSERTs (core/inserts.py) write what bulk_create writes: every column, defaults, dates, JSON,
addresses; keys come back in order; a broken row is Django's IntegrityError on both databases."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict

from safepath.core.inserts import insert_new, insert_returning, insert_values
from safepath.core.models import AuditEvent
from safepath.people.models import Person, PersonKey, PersonMerge, SafeContact


def _people() -> list[Person]:
    return [
        Person(first_name="Amina", last_name="Begum", date_of_birth=date(1990, 2, 28), postcode="ME4 4AB",
               interpreter_needed=True, first_language="Bengali"),
        Person(first_name="Jo", last_name="O'Neill", date_of_birth=None, postcode=""),
    ]  # fmt: skip


def _values(obj) -> dict:  # type: ignore[no-untyped-def]
    values = model_to_dict(type(obj).objects.get(pk=obj.pk))
    return {name: value for name, value in values.items() if name not in ("id", "created_at", "updated_at", "at")}


def test_it_writes_the_rows_bulk_create_writes_and_gives_their_keys_in_order(db):
    by_orm = Person.objects.bulk_create(_people())
    plain = _people()
    insert_returning(Person, plain)
    assert all(person.pk and not person._state.adding for person in plain)
    assert [p.pk for p in plain] == sorted(p.pk for p in plain) and plain[0].pk > by_orm[-1].pk
    assert [_values(p) for p in plain] == [_values(p) for p in by_orm]
    assert Person.objects.get(pk=plain[0].pk).created_at is not None


def test_it_writes_defaults_json_and_addresses(db):
    kept, merged = Person.objects.bulk_create(_people())
    insert_values(PersonMerge, [PersonMerge(kept=kept, merged=merged, reason="same", moved={"a.b": [1, 2]})])
    assert PersonMerge.objects.get().moved == {"a.b": [1, 2]}
    insert_new(SafeContact, {"person_id": [kept.pk, merged.pk]})
    contact = SafeContact.objects.get(person=kept)
    assert contact.phone_safe is None and contact.updated_at is not None
    insert_new(AuditEvent, {"action": ["view", "view"], "object_id": ["1", "2"], "ip_address": ["10.0.0.1", None]})
    events = list(AuditEvent.objects.order_by("object_id"))
    assert [(e.action, e.object_id, e.ip_address, e.reason) for e in events] == [
        ("view", "1", "10.0.0.1", ""),
        ("view", "2", None, ""),
    ]
    assert all(e.at is not None for e in events)


def test_a_broken_row_is_an_integrity_error_and_nothing_of_the_batch_is_kept(db):
    person = Person.objects.create(first_name="A", last_name="B")
    PersonKey.objects.create(person=person, key="k1")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_new(PersonKey, {"person_id": [person.pk, person.pk], "key": ["k2", "k1"]})  # k1 again
    assert list(PersonKey.objects.values_list("key", flat=True)) == ["k1"]


def test_it_refuses_columns_of_different_lengths(db):
    with pytest.raises(ValueError, match="one value per row"):
        insert_new(PersonKey, {"person_id": [1, 2], "key": ["k"]})
