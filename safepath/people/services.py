"""Writes for people: create, keep matching keys current, merge and undo a merge."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from safepath.areas.selectors import area_for_postcode
from safepath.core.audit import Action, audit_event
from safepath.core.inserts import insert_new, insert_returning
from safepath.people.matching import Identity, blocking_keys, postcode_compact
from safepath.people.models import Person, PersonKey, PersonMerge, SafeContact


def format_postcode(postcode: str) -> str:
    compact = postcode_compact(postcode)
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) >= 5 else compact


def person_refresh_keys(*, person: Person) -> None:
    keys = blocking_keys(person.identity())
    PersonKey.objects.filter(person=person).exclude(key__in=keys).delete()
    existing = set(PersonKey.objects.filter(person=person).values_list("key", flat=True))
    PersonKey.objects.bulk_create([PersonKey(person=person, key=k) for k in keys - existing])


@transaction.atomic
def person_create(*, request: HttpRequest | None = None, audit: bool = True, **fields: Any) -> Person:
    """Create a person with matching keys and an empty (all-unknown) safe-contact record."""
    if fields.get("postcode"):
        fields["postcode"] = format_postcode(fields["postcode"])
        if not fields.get("area"):
            fields["area"] = area_for_postcode(fields["postcode"])
    person = Person.objects.create(**fields)
    SafeContact.objects.create(person=person)
    person_refresh_keys(person=person)
    if audit:
        audit_event(action=Action.CREATE, request=request, obj=person)
    return person


def person_bulk_create(*, people: list[Person]) -> list[Person]:
    """`person_create(audit=False)` for many people at once, in three bulk writes (the import).

    The people come complete: postcode formatted and area resolved by the caller, no other names.
    Each gets its empty safe-contact record and its matching keys; their ids are set on them.
    Plain INSERTs (core/inserts.py): at thousands of rows a chunk, bulk_create's work per value
    costs several times the inserts themselves (about ten keys a person).
    """
    insert_returning(Person, people)
    insert_new(SafeContact, {"person_id": [person.pk for person in people]})
    keys = [(person.pk, key) for person in people for key in blocking_keys(_new_identity(person))]
    insert_new(PersonKey, {"person_id": [pk for pk, _key in keys], "key": [key for _pk, key in keys]})
    return people


def _new_identity(person: Person) -> Identity:
    """`person.identity()` for a person just created (no other names yet), without a query."""
    return Identity(person.first_name, person.last_name, person.date_of_birth, person.postcode)


# Models whose `person` foreign key moves to the kept record on a merge.
MERGE_MOVES = [
    ("referrals", "Referral", "person"),
    ("risk", "RiskAssessment", "person"),
    ("cases", "Case", "person"),
    ("programmes", "PerpetratorOrder", "person"),
]


@transaction.atomic
def person_merge(*, request: HttpRequest | None, kept: Person, merged: Person, reason: str) -> PersonMerge:
    """Fold `merged` into `kept`. Records move; `merged` stays, pointing at `kept`, so it can be undone."""
    from django.apps import apps

    if kept.pk == merged.pk or merged.merged_into_id or kept.merged_into_id:
        raise ValueError("These records cannot be merged.")
    if Person.objects.filter(merged_into=merged).exists():
        raise ValueError("Other records were merged into this one; undo those merges first.")
    moved: dict[str, list[int]] = {}
    for app, model_name, field in MERGE_MOVES:
        model = apps.get_model(app, model_name)
        ids = list(model.objects.filter(**{field: merged}).values_list("pk", flat=True))
        model.objects.filter(pk__in=ids).update(**{field: kept})
        moved[f"{app}.{model_name}"] = ids
    merged.merged_into = kept
    merged.save(update_fields=["merged_into"])
    record = PersonMerge.objects.create(
        kept=kept, merged=merged, by_user_id=_user_id(request), reason=reason[:255], moved=moved
    )
    audit_event(action=Action.UPDATE, request=request, obj=kept, reason=f"merged person {merged.pk}")
    audit_event(action=Action.UPDATE, request=request, obj=merged, reason=f"merged into person {kept.pk}")
    return record


@transaction.atomic
def person_unmerge(*, request: HttpRequest | None, merge: PersonMerge) -> None:
    from django.apps import apps

    if merge.undone_at:
        raise ValueError("This merge has already been undone.")
    for label, ids in merge.moved.items():
        app, model_name = label.split(".")
        field = next(f for a, m, f in MERGE_MOVES if a == app and m == model_name)
        apps.get_model(app, model_name).objects.filter(pk__in=ids).update(**{field: merge.merged})
    Person.objects.filter(pk=merge.merged_id).update(merged_into=None)
    merge.undone_at = timezone.now()
    merge.undone_by_user_id = _user_id(request)
    merge.save(update_fields=["undone_at", "undone_by_user_id"])
    audit_event(
        action=Action.UPDATE, request=request, obj=merge.kept, reason=f"undid merge of person {merge.merged_id}"
    )


def _user_id(request: HttpRequest | None) -> int | None:
    return request.user.pk if request is not None and request.user.is_authenticated else None
