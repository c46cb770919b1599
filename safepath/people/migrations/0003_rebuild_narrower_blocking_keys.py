"""Rebuild every person's matching keys: the birth-year keys are narrower (matching.blocking_keys).

"surname sound + birth year" (and the same with the first name) matched about fifty people per
referral at 200,000 people; it is replaced by that key with the other name's initial and by "sound +
birth year + month or day". The keys are derived data: this brings every stored person's keys to
what `blocking_keys` gives now (the current code, as `person_refresh_keys` does when a person is
saved), deleting the keys no longer made and adding the new ones, a thousand people at a time.
"""

from django.db import migrations

BATCH = 1_000


def refresh_keys(apps, schema_editor):
    from safepath.people.matching import Identity, blocking_keys

    Person = apps.get_model("people", "Person")
    PersonName = apps.get_model("people", "PersonName")
    PersonKey = apps.get_model("people", "PersonKey")
    people = Person.objects.order_by("pk").values_list("pk", "first_name", "last_name", "date_of_birth", "postcode")
    last = 0
    while True:
        batch = list(people.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        last = batch[-1][0]
        ids = [row[0] for row in batch]
        others: dict[int, list[tuple[str, str]]] = {}
        for person_id, first, last_name in (
            PersonName.objects.filter(person_id__in=ids)
            .order_by("pk")
            .values_list("person_id", "first_name", "last_name")
        ):
            others.setdefault(person_id, []).append((first, last_name))
        stored: dict[int, dict[str, int]] = {}  # person -> key -> the key row's id
        for row_id, person_id, key in PersonKey.objects.filter(person_id__in=ids).values_list("pk", "person_id", "key"):
            stored.setdefault(person_id, {})[key] = row_id
        stale: list[int] = []
        fresh = []
        for pk, first, last_name, born, postcode in batch:
            keys = blocking_keys(Identity(first, last_name, born, postcode, tuple(others.get(pk, ()))))
            have = stored.get(pk, {})
            stale += [row_id for key, row_id in have.items() if key not in keys]
            fresh += [PersonKey(person_id=pk, key=key) for key in sorted(keys - have.keys())]
        for start in range(0, len(stale), 500):
            PersonKey.objects.filter(pk__in=stale[start : start + 500]).delete()
        PersonKey.objects.bulk_create(fresh, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_person_key_covering_index"),
    ]

    # Going back leaves the keys as they are: rerun this (or save each person) to rebuild them.
    operations = [migrations.RunPython(refresh_keys, migrations.RunPython.noop, elidable=True)]
