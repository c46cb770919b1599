"""Reads for people: scoped access and known-person candidates."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from safepath.cases.models import Case
from safepath.core.roles import OrganisationType, Role
from safepath.people.choices import PersonKind
from safepath.people.matching import Identity, Match, blocking_keys, rank
from safepath.people.models import Person, PersonKey, PersonName
from safepath.referrals.models import WorkItem

HUB_ROLES = {Role.TRIAGE_WORKER, Role.TEAM_MANAGER}
WORKER_ROLES = {Role.CASEWORKER, Role.TEAM_MANAGER}


def people_for(user: object) -> QuerySet[Person]:
    """People the user may see: hub staff see everyone referred to their hub; providers see
    people routed to their organisation. Everyone else sees nobody (deny by default)."""
    membership = getattr(user, "current_membership", None)
    if membership is None:
        return Person.objects.none()
    org = membership.organisation
    if org.type == OrganisationType.HUB and membership.role in HUB_ROLES:
        return Person.objects.filter(Q(referrals__hub=org) | Q(merged_from__referrals__hub=org)).distinct()
    if org.type == OrganisationType.PROVIDER and membership.role in WORKER_ROLES:
        routed = WorkItem.objects.filter(provider=org, referral__person=OuterRef("pk"))
        cased = Case.objects.filter(provider=org, person=OuterRef("pk"))
        return Person.objects.filter(Exists(routed) | Exists(cased))
    if org.type == OrganisationType.PROVIDER and membership.role == Role.VOLUNTEER:
        # Volunteers reach only the people they are currently assigned to.
        assigned = Case.objects.filter(
            provider=org,
            person=OuterRef("pk"),
            volunteer_assignments__volunteer=user,
            volunteer_assignments__ended_on__isnull=True,
        )
        return Person.objects.filter(Exists(assigned))
    return Person.objects.none()


def match_candidates(identity: Identity, *, limit: int = 5, exclude: int | None = None) -> list[tuple[Person, Match]]:
    """Known people who may be this identity, best first, with the reasons.

    One indexed query on the blocking keys, one to load the candidates, one for their
    other names; scoring is in Python over that small set.
    """
    keys = blocking_keys(identity)
    if not keys:
        return []
    # Two plain indexed lookups: as one IN (subquery), PostgreSQL without fresh statistics
    # sometimes scans every person for each referral.
    ids = set(PersonKey.objects.filter(key__in=keys).values_list("person_id", flat=True))
    if not ids:
        return []
    candidates = (
        Person.objects.filter(pk__in=ids, merged_into__isnull=True, kind="victim")
        .exclude(pk=exclude)
        .prefetch_related("other_names")
    )
    people = {p.pk: p for p in candidates}
    ranked = rank(identity, [(pk, p.identity()) for pk, p in people.items()], limit=limit)
    return [(people[pk], match) for pk, match in ranked]  # type: ignore[index]


@dataclass
class CandidatePool:
    """Known people sharing any of a set of blocking keys, loaded once for a batch of referrals."""

    people_by_key: dict[str, set[int]] = field(default_factory=dict)  # key -> person ids
    identities: dict[int, Identity] = field(default_factory=dict)  # person id -> identity, other names included

    def candidates(self, keys: Iterable[str]) -> list[tuple[int, Identity]]:
        """The people sharing any of these keys, in id order (the order `match_candidates` scores them in)."""
        ids = {pk for key in keys for pk in self.people_by_key.get(key, ())}
        return [(pk, self.identities[pk]) for pk in sorted(ids)]


def candidate_pool(keys: Collection[str], *, known_before: int | None = None) -> CandidatePool:
    """Every live victim record sharing any of `keys`, and which keys each shares: the candidates that
    `match_candidates` would load for each of many identities, in two queries (a few more on SQLite,
    which limits a query's parameters) however many identities there are. `known_before`: only people
    whose id is at most this (those known before an import began; it keeps its own in memory).
    """
    return CandidateReader(known_before=known_before).pool(keys)


class CandidateReader:
    """Reads candidate pools for batch after batch (an import's chunks), each person's record once.

    Two queries a batch: which people share the keys (from the key index alone), then the names,
    date of birth and postcode of those not read for an earlier batch. An import's chunks share
    about a third of their candidates (common names), and the first query returns one row per key
    a person shares, the second one per person. Records read stay as read for the reader's life
    (an import's), as they would in one long query; at most `LIMIT` are kept.

    Plain SQL: a chunk of an import loads tens of thousands of candidates, and the ORM's work per row
    (and per parameter of a long IN list) would cost more than the queries themselves.
    """

    LIMIT = 500_000  # people remembered (about 100 MB); beyond it, forgotten and read again

    def __init__(self, *, known_before: int | None = None) -> None:
        self.known_before = known_before if known_before is not None else _NO_LIMIT
        self.read: dict[int, Identity | None] = {}  # person id -> identity; None: not a candidate

    def pool(self, keys: Collection[str]) -> CandidatePool:
        pairs: list[tuple[str, int]] = []
        with connection.cursor() as cursor:
            for condition, params in _in('"key"', sorted(keys)):
                cursor.execute(_KEYS_SQL.format(condition=condition), [*params, self.known_before])
                pairs += cursor.fetchall()
            unread = sorted({pk for _key, pk in pairs if pk not in self.read})
            if len(self.read) + len(unread) > self.LIMIT:
                self.read.clear()
                unread = sorted({pk for _key, pk in pairs})
            self._read(cursor, unread)
        pool = CandidatePool()
        by_key, identities, read = pool.people_by_key, pool.identities, self.read
        for key, pk in pairs:
            identity = read[pk]
            if identity is not None:  # a live victim record
                by_key.setdefault(key, set()).add(pk)
                identities[pk] = identity
        return pool

    def _read(self, cursor: Any, ids: list[int]) -> None:
        """The identities of these people (None for any not a live victim record), other names included."""
        found: dict[int, tuple[str, str, Any, str]] = {}
        names: dict[int, dict[int, tuple[str, str]]] = {}
        # SQLite would parse each date with Django's converter, slower than the query: read it as text.
        born_column = "CAST(p.date_of_birth AS TEXT)" if connection.vendor == "sqlite" else "p.date_of_birth"
        for condition, params in _in("p.id", ids):
            cursor.execute(_PEOPLE_SQL.format(born=born_column, condition=condition), [*params, PersonKind.VICTIM])
            for pk, first, last, born, postcode, name_pk, other_first, other_last in cursor.fetchall():
                found[pk] = (first, last, born, postcode)
                if name_pk is not None:  # one row for each other name the person has used
                    names.setdefault(pk, {})[name_pk] = (other_first, other_last)
        read = self.read
        for pk in ids:
            if pk not in found:
                read[pk] = None
                continue
            first, last, born, postcode = found[pk]
            others = tuple(names[pk][name_pk] for name_pk in sorted(names[pk])) if pk in names else ()
            born = date.fromisoformat(born) if isinstance(born, str) else born
            read[pk] = Identity(first, last, born, postcode, others)


def _in(column: str, values: list[Any]) -> Iterator[tuple[str, list[Any]]]:
    """`column IN values` as SQL conditions with their parameters: one array on PostgreSQL (a list of
    thousands of parameters costs the driver more than the query), else lists short enough for one
    query with two parameters to spare (SQLite allows 999)."""
    if not values:
        return
    if connection.vendor == "postgresql":
        yield f"{column} = ANY(%s)", [values]
        return
    step = (connection.features.max_query_params or 10_000) - 2  # room for the query's other parameters
    for start in range(0, len(values), step):
        part = values[start : start + step]
        yield f"{column} IN ({', '.join(['%s'] * len(part))})", part


_NO_LIMIT = 2**63 - 1  # the largest id either database holds
_KEYS_SQL = f"""
    SELECT "key", person_id FROM {PersonKey._meta.db_table} WHERE {{condition}} AND person_id <= %s
"""  # noqa: S608 - the table name from the model; every value is a parameter
_PEOPLE_SQL = f"""
    SELECT p.id, p.first_name, p.last_name, {{born}}, p.postcode, n.id, n.first_name, n.last_name
    FROM {Person._meta.db_table} p
    LEFT JOIN {PersonName._meta.db_table} n ON n.person_id = p.id
    WHERE {{condition}} AND p.merged_into_id IS NULL AND p.kind = %s
"""  # noqa: S608 - table names from the models; every value is a parameter
