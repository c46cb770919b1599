"""The batch path of the import: rows matched, evaluated and written a chunk at a time.

For each chunk of rows, in the order they are to be imported:
1. one query for the (`source`, `source_ref`) pairs received before (those rows are skipped);
2. each row's best candidate among the people known before the import began: one query for every
   such person sharing a blocking key with any row of the chunk (`candidate_pool`), scored in Python
   (`best_match`); done a chunk ahead in a second process where it can be (ahead.py);
3. row by row, in Python: the best candidate among the people the import has created so far (kept
   in memory, for the whole import), so that rows about the same person link to each other; the
   better of the two (a tie goes to the person known before, as one scoring would); link or create;
4. one query for the earlier referrals of the known people linked to;
5. row by row: the rules (`apply_rules`), looking back at those referrals and at earlier rows;
6. bulk inserts, in one transaction: people with their safe-contact records and keys,
   relationships, referrals, their first status rows and their audit rows; plain INSERTs
   (core/inserts.py: the rows bulk_create would write, values prepared once per column; COPY on
   PostgreSQL).

Should anything fail, nothing of the chunk is saved and its rows are imported one at a time, each
in its own transaction, so one bad row never loses the others and nothing of a row is ever saved
partially. Either way each row ends as `referral_receive(auto_link=True)` would leave it, row after
row: the same person linked or created, the same match status and score, the same risk level,
police incidents, MARAC criteria and repeats.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.http import HttpRequest
from django.utils import timezone

from safepath.accounts.models import Organisation
from safepath.areas.models import Area
from safepath.areas.selectors import areas_by_district
from safepath.core.audit import Action, audit_many
from safepath.core.bulk import bulk_writes
from safepath.core.inserts import insert_new, insert_returning, insert_values
from safepath.marac.services import marac_referrals_from_referrals
from safepath.people.matching import AUTO_LINK_THRESHOLD, Identity, best_match, blocking_keys
from safepath.people.models import Person, Relationship
from safepath.people.selectors import CandidateReader
from safepath.people.services import format_postcode, person_bulk_create
from safepath.referrals.choices import Channel, MatchStatus, Source, Status
from safepath.referrals.importing.ahead import Ahead, Known, Work, best_known
from safepath.referrals.importing.rejects import Reject
from safepath.referrals.models import Referral, ReferralStatusChange
from safepath.referrals.services import (
    Incoming,
    apply_rules,
    default_hub,
    history_before,
    match_status_for,
    new_person_fields,
    perpetrator_fields,
    referral_build,
)
from safepath.risk import rules
from safepath.risk.models import ThresholdSet
from safepath.risk.selectors import thresholds_for

logger = logging.getLogger("safepath.referrals.importing")

CHUNK = 500  # rows matched and written together, in one transaction
NOT_SAVED = "this row could not be saved; check its values"


@dataclass
class Good:
    """A valid row: its line, the referral it makes and the row as written (for the rejects file)."""

    line: int
    incoming: Incoming
    original: dict[str, str]
    # Its identity and blocking keys, worked out once (`_matching`).
    matching: tuple[Identity, set[str]] | None = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.incoming.source, self.incoming.source_ref)


@dataclass(eq=False)
class _NewPerson:
    """A person an earlier row of the chunk creates: a candidate for the rows after it."""

    person: Person  # saved when the chunk is written
    identity: Identity
    order: int  # creation order within the import: after every known person, as their ids will be


@dataclass
class _Row:
    good: Good
    area: Area | None
    hub: Organisation
    identity: Identity
    keys: set[str]
    person: int | _NewPerson | None = None  # a known person's id, or one created in this chunk
    match_status: str = ""
    match_score: float | None = None


@dataclass
class _Chunk:
    """What a chunk writes, and what it counts once written."""

    people: list[Person] = field(default_factory=list)  # victims and people causing harm, in creation order
    relationships: list[Relationship] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    keys: list[tuple[str, str]] = field(default_factory=list)  # (source, source_ref) of each referral
    created: dict[str, list[_NewPerson]] = field(default_factory=dict)  # key -> people the chunk creates
    skipped: int = 0


class BatchImporter:
    """Imports valid rows chunk by chunk, keeping what one import run learns (places, rule sets, rows seen)."""

    def __init__(self, *, hub: Organisation | None = None, request: HttpRequest | None = None) -> None:
        self.request = request
        self.places = _Places(hub)
        self.thresholds = _Thresholds()
        self.seen: set[tuple[str, str]] = set()
        self.imported = 0
        self.skipped = 0
        self.rejects: list[Reject] = []
        # Matching: people known before the import are those with an id up to `known_before`; the
        # people it creates are kept here (key -> people), written chunks' people with their ids.
        self.known_before: int | None = None
        self.created: dict[str, list[_NewPerson]] = {}
        self.order = itertools.count()

    def run(self, rows: list[Good], chunk_size: int) -> None:
        """Import these rows (in order) `chunk_size` at a time, matching against known people a chunk ahead."""
        self._begin()
        chunks = [rows[start : start + chunk_size] for start in range(0, len(rows), chunk_size)]
        known_before = self.known_before or 0
        match = functools.partial(best_known, reader=CandidateReader(known_before=known_before))
        ahead = Ahead([_work(chunk) for chunk in chunks], known_before, match=match).start()
        try:
            with bulk_writes():  # SQLite: a larger page cache, one checkpoint at the end (core/bulk.py)
                for chunk in chunks:
                    self.import_chunk(chunk, ahead.take())
        finally:
            ahead.close()

    def import_chunk(self, rows: list[Good], known: list[Known] | None = None) -> None:
        """Import these rows (in order), together if possible, else one by one. `known`: each row's best
        candidate among the people known before the import (`best_known`), when worked out already."""
        self._begin()
        if known is None:
            known = best_known(*_work(rows), self.known_before or 0)
        self.seen |= _already_received([row.key for row in rows])
        try:
            chunk = self._plan(rows, known)
            with transaction.atomic():  # the writes only: other writers wait for as short a time as can be
                self._write(chunk)
        except Exception as error:  # nothing of the chunk is saved: find the row at fault, one row at a time
            logger.warning(
                "import: %s rows could not be saved together (%s); importing them one by one",
                len(rows),
                _what_failed(error),
            )
            for row, best in zip(rows, known, strict=True):
                self._import_alone(row, best)
        else:
            self._count(chunk)

    def _begin(self) -> None:
        if self.known_before is None:
            self.known_before = Person.objects.aggregate(last=Max("pk"))["last"] or 0

    def _import_alone(self, row: Good, known: Known) -> None:
        try:
            chunk = self._plan([row], [known])
            with transaction.atomic():
                self._write(chunk)
        except IntegrityError as error:
            # Another import received the same (source, source_ref) since we looked: seen before.
            if Referral.objects.filter(source=row.incoming.source, source_ref=row.incoming.source_ref).exists():
                self.skipped += 1
                self.seen.add(row.key)
                return
            self._not_saved(row, error)
        except Exception as error:  # one row's failure must never stop the import
            self._not_saved(row, error)
        else:
            self._count(chunk)

    def _count(self, chunk: _Chunk) -> None:
        """A chunk was written: count it, and its new people become candidates for the rows after."""
        self.imported += len(chunk.referrals)
        self.skipped += chunk.skipped
        self.seen.update(chunk.keys)
        for key, people in chunk.created.items():
            self.created.setdefault(key, []).extend(people)

    def _not_saved(self, row: Good, error: Exception) -> None:
        # The error's class only: its message may quote the row's values.
        logger.error("import: line %s could not be saved (%s)", row.line, _what_failed(error))
        self.rejects.append(Reject(line=row.line, reason=NOT_SAVED, row=row.original))

    # ------------------------------------------------------------ planning

    def _plan(self, rows: list[Good], known: list[Known]) -> _Chunk:
        chunk = _Chunk()
        todo: list[tuple[_Row, Known]] = []
        taken: set[tuple[str, str]] = set()
        for good, best in zip(rows, known, strict=True):
            if good.key in self.seen or good.key in taken:
                chunk.skipped += 1
                continue
            taken.add(good.key)
            todo.append((self._prepare(good), best))
        self._match(todo, chunk)
        self._evaluate([row for row, _best in todo], chunk)
        return chunk

    def _prepare(self, good: Good) -> _Row:
        """What referral_receive does before matching: the area and hub, the postcode as stored."""
        identity, keys = _matching(good)
        incoming = good.incoming
        incoming.area = self.places.area(incoming)
        hub = self.places.hub_for(incoming.area)
        if hub is None:
            raise ValueError("No single point of access (hub) organisation is configured.")
        return _Row(good=good, area=incoming.area, hub=hub, identity=identity, keys=keys)

    def _match(self, rows: list[tuple[_Row, Known]], chunk: _Chunk) -> None:
        """Link each row to its best candidate when it is good enough, else to a new person."""
        created = chunk.created  # key -> people created by earlier rows of the chunk
        for row, best in rows:
            earlier = {new for key in row.keys for new in (*self.created.get(key, ()), *created.get(key, ()))}
            if earlier:  # people the import created: scored after every known person, as their ids will be
                found = best_match(row.identity, [(new, new.identity) for new in sorted(earlier, key=_order)])
                if found and (best is None or found[1].score > best[1]):
                    best = (found[0], found[1].score)  # type: ignore[assignment]
            row.match_score = best[1] if best else None
            # A file's rows are linked automatically when the match is certain enough; a referral a
            # survivor made themselves is always checked by a person (as referral_receive does).
            row.match_status = match_status_for(
                row.match_score,
                auto_link=row.good.incoming.channel == Channel.IMPORT,
                auto_link_threshold=AUTO_LINK_THRESHOLD,
            )
            if best and row.match_status == MatchStatus.AUTO_LINKED:
                row.person = best[0]  # type: ignore[assignment]
                continue
            person = Person(**new_person_fields(row.good.incoming))
            identity = Identity(person.first_name, person.last_name, person.date_of_birth, person.postcode)
            row.person = _NewPerson(person=person, identity=identity, order=next(self.order))
            for key in blocking_keys(identity):
                created.setdefault(key, []).append(row.person)

    def _evaluate(self, rows: list[_Row], chunk: _Chunk) -> None:
        """The rules for each row, looking back at the person's referrals before it (known and in this chunk)."""
        history = _earlier_referrals({who for row in rows if isinstance(who := _who(row.person), int)})
        for row in rows:
            incoming, received = row.good.incoming, row.good.incoming.received_at
            thresholds = self.thresholds(row.area.pk if row.area else None, timezone.localdate(received))
            last_marac, police = history_before(history.get(_who(row.person), ()), received)
            outcome, incidents = apply_rules(incoming, thresholds, last_marac, police)
            history.setdefault(_who(row.person), []).append((received, outcome.meets_marac, incoming.source))
            person = self._person(row, chunk)
            perpetrator = self._perpetrator(incoming, person, chunk)
            chunk.referrals.append(
                referral_build(
                    incoming, hub=row.hub, area=row.area, person=person, match_status=row.match_status,
                    match_score=row.match_score, outcome=outcome, incidents=incidents, perpetrator=perpetrator,
                )
            )  # fmt: skip
            chunk.keys.append(row.good.key)

    @staticmethod
    def _person(row: _Row, chunk: _Chunk) -> Person:
        if not isinstance(row.person, _NewPerson):
            return Person(pk=row.person)
        if row.match_status != MatchStatus.AUTO_LINKED:  # this row creates the person
            chunk.people.append(row.person.person)
        return row.person.person

    @staticmethod
    def _perpetrator(incoming: Incoming, victim: Person, chunk: _Chunk) -> Person | None:
        fields = perpetrator_fields(incoming)
        if fields is None:
            return None
        perpetrator = Person(**fields)
        chunk.people.append(perpetrator)
        chunk.relationships.append(
            Relationship(
                victim=victim,
                other=perpetrator,
                kind=Relationship.Kind.PERSON_CAUSING_HARM,
                relationship=incoming.relationship,
            )
        )
        return perpetrator

    # ------------------------------------------------------------ writing

    def _write(self, chunk: _Chunk) -> None:
        person_bulk_create(people=chunk.people)
        # Plain INSERTs: the rows bulk_create would write, without its work per value (core/inserts.py).
        insert_values(Relationship, chunk.relationships)
        insert_returning(Referral, chunk.referrals)
        marac_referrals_from_referrals(chunk.referrals, created_now=True)  # a query or two per batch
        insert_new(
            ReferralStatusChange,
            {
                "referral_id": [referral.pk for referral in chunk.referrals],
                "to_status": [Status.RECEIVED.value] * len(chunk.referrals),
            },
        )
        audit_many(action=Action.CREATE, request=self.request, objects=chunk.referrals)  # type: ignore[arg-type]


# SQLite's own words for a broken constraint name the columns, never the values.
_SQLITE_CONSTRAINT = re.compile(r"(UNIQUE|NOT NULL|CHECK|FOREIGN KEY) constraint failed(: [\w.]+(, [\w.]+)*)?")


def _what_failed(error: Exception) -> str:
    """The error's class and, for a broken constraint, its name: never the message, which on
    PostgreSQL quotes the row's values (a name, a date of birth)."""
    what = type(error).__name__
    cause = error.__cause__
    constraint = getattr(getattr(cause, "diag", None), "constraint_name", None)  # PostgreSQL (psycopg)
    if constraint:
        return f"{what}: {constraint}"
    if isinstance(error, IntegrityError) and _SQLITE_CONSTRAINT.fullmatch(str(error)):
        return f"{what}: {error}"
    return what


def _order(new: _NewPerson) -> int:
    return new.order


def _who(person: int | _NewPerson | None) -> object:
    """Whose earlier referrals a row looks back at: a person's id once saved, else the person to be created."""
    if isinstance(person, _NewPerson) and person.person.pk is not None:
        return person.person.pk
    return person


def _work(rows: list[Good]) -> Work:
    """What matching against known people needs of each row: its identity and blocking keys."""
    matching = [_matching(good) for good in rows]
    return [identity for identity, _keys in matching], [keys for _identity, keys in matching]


def _matching(good: Good) -> tuple[Identity, set[str]]:
    """A row's identity (the postcode as stored) and blocking keys, worked out once and kept on the row."""
    if good.matching is None:
        if good.incoming.postcode:
            good.incoming.postcode = format_postcode(good.incoming.postcode)
        identity = good.incoming.identity()
        good.matching = (identity, blocking_keys(identity))
    return good.matching


def _already_received(keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (source, source_ref) pairs exist: one query, using the unique index on both."""
    by_source: dict[str, set[str]] = {}
    for source, ref in keys:
        by_source.setdefault(source, set()).add(ref)
    condition = Q()
    for source, refs in by_source.items():
        condition |= Q(source=source, source_ref__in=refs)
    return set(Referral.objects.filter(condition).values_list("source", "source_ref")) if by_source else set()


def _earlier_referrals(person_ids: set[int]) -> dict[object, list[tuple[datetime, bool, str]]]:
    """What the rules look back at, per person: (received_at, is_marac_case, source) of MARAC and police referrals."""
    history: dict[object, list[tuple[datetime, bool, str]]] = {}
    ids = sorted(person_ids)
    step = connection.features.max_query_params or 10_000
    for start in range(0, len(ids), step):
        rows = Referral.objects.filter(
            Q(is_marac_case=True) | Q(source=Source.POLICE), person_id__in=ids[start : start + step]
        ).values_list("person_id", "received_at", "is_marac_case", "source")
        for person_id, *earlier in rows:
            history.setdefault(person_id, []).append(tuple(earlier))  # type: ignore[arg-type]
    return history


class _Places:
    """Areas by postcode and hubs by area, looked up once per import rather than once per row."""

    def __init__(self, hub: Organisation | None) -> None:
        self.hub = hub
        self._areas: dict[str, Area] | None = None  # by postcode district, read when first needed
        self._hubs: dict[int | None, Organisation | None] = {}

    def area(self, incoming: Incoming) -> Area | None:
        if incoming.area is not None or not incoming.postcode:
            return incoming.area
        compact = incoming.postcode.replace(" ", "").upper()
        if len(compact) < 5:
            return None
        if self._areas is None:
            self._areas = areas_by_district()
        return self._areas.get(compact[:-3])

    def hub_for(self, area: Area | None) -> Organisation | None:
        if self.hub is not None:
            return self.hub
        key = area.pk if area else None
        if key not in self._hubs:
            self._hubs[key] = default_hub(area)
        return self._hubs[key]


class _Thresholds:
    """The rule set in force for an area on a day (`thresholds_for`), read once per area and rule-set date."""

    def __init__(self) -> None:
        self._starts = sorted(set(ThresholdSet.objects.values_list("effective_from", flat=True)))
        self._cache: dict[tuple[int | None, date | None], rules.Thresholds] = {}

    def __call__(self, area_id: int | None, day: date) -> rules.Thresholds:
        # Only the rule sets starting on or before `day` count, so every day since the latest start gives the same.
        position = bisect.bisect_right(self._starts, day)
        start = self._starts[position - 1] if position else None
        if (area_id, start) not in self._cache:
            self._cache[area_id, start] = thresholds_for(area_id, start or day).as_rules()
        return self._cache[area_id, start]
