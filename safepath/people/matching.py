"""Known-person matching: blocking keys and pairwise scores. Pure functions, no Django.

Referrals name people as the sender wrote them: misspelt, shortened, first and last
names swapped, double-barrelled or changed on marriage, dates of birth with a typo or
day and month swapped, postcodes with any spacing. Blocking keys (stored on the person)
find a small set of candidates cheaply; `score()` ranks them and says why.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import jellyfish
from rapidfuzz.distance import JaroWinkler, Levenshtein

AUTO_LINK_THRESHOLD = 0.93  # default; the import reads its own from configuration
CANDIDATE_THRESHOLD = 0.45  # shown to triage among the top five
REVIEW_THRESHOLD = 0.7  # a new referral with a candidate this close is flagged as a possible duplicate


@dataclass(frozen=True)
class Identity:
    """What a referral or a person record says about who someone is."""

    first_name: str
    last_name: str
    date_of_birth: date | None = None
    postcode: str = ""
    other_names: tuple[tuple[str, str], ...] = ()  # (first, last) pairs: previous or alternative names


@dataclass(frozen=True)
class Match:
    score: float
    reasons: tuple[str, ...] = field(default_factory=tuple)


@lru_cache(maxsize=65536)  # names repeat heavily across candidates; these are pure
def normalise(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z\- ']", "", letters).replace("'", "").strip()


def name_parts(name: str) -> list[str]:
    """Double-barrelled and multi-part names give each part separately."""
    return list(_name_parts(name))


@lru_cache(maxsize=65536)
def _name_parts(name: str) -> tuple[str, ...]:
    return tuple(p for p in re.split(r"[\s\-]+", normalise(name)) if p)


@lru_cache(maxsize=1)
def _nickname_index() -> dict[str, frozenset[int]]:
    groups = tomllib.loads(Path(__file__).with_name("nicknames.toml").read_text())["groups"]
    index: dict[str, set[int]] = {}
    for number, group in enumerate(groups):
        for name in group:
            index.setdefault(normalise(name), set()).add(number)
    return {name: frozenset(numbers) for name, numbers in index.items()}


def same_given_name(a: str, b: str) -> bool:
    index = _nickname_index()
    return a == b or bool(index.get(a, frozenset()) & index.get(b, frozenset()))


@lru_cache(maxsize=65536)
def phonetic(part: str) -> str:
    return jellyfish.metaphone(part)[:6] if part else ""


@lru_cache(maxsize=65536)
def postcode_compact(postcode: str) -> str:
    return re.sub(r"\s+", "", postcode or "").upper()


@lru_cache(maxsize=65536)
def postcode_sector(postcode: str) -> str:
    """ "ME4 4AB" -> "ME4 4"; empty when the postcode is too short to have a sector."""
    compact = postcode_compact(postcode)
    if len(compact) < 5:
        return ""
    return f"{compact[:-3]} {compact[-3]}"


def canonical_given(part: str) -> str:
    """A stable key for a first name: its first nickname group if it has one, else its phonetic code."""
    groups = _nickname_index().get(part)
    return f"g{min(groups)}" if groups else phonetic(part)


def blocking_keys(identity: Identity) -> set[str]:
    """Keys under which a person is indexed; two records sharing any key are compared.

    Chosen so that one error of each kind still leaves a shared key: surname sound + birth
    year and the other name's initial, surname sound + birth year and month or day, surname
    sound + month-day, first-name group + date of birth (day/month both ways), surname sound +
    postcode sector, first-name group + sector, and the same for other names used and with the
    first name in the surname's place (transposed names).
    """
    try:
        return set(_blocking_keys(identity))
    except TypeError:  # an identity that cannot be a cache key (other names given as a list)
        return set(_blocking_keys.__wrapped__(identity))


@lru_cache(maxsize=4096)  # an import asks again for each person it creates
def _blocking_keys(identity: Identity) -> frozenset[str]:
    keys: set[str] = set()
    if identity.date_of_birth and postcode_sector(identity.postcode):
        # Catches a changed last name together with a misspelt first name.
        keys.add(f"dp:{identity.date_of_birth.isoformat()}:{postcode_sector(identity.postcode)}")
    names = [(identity.first_name, identity.last_name), *identity.other_names]
    dob = identity.date_of_birth
    sector = postcode_sector(identity.postcode)
    for first, last in names:
        firsts = name_parts(first)[:1]
        lasts = name_parts(last)
        given = canonical_given(firsts[0]) if firsts else ""
        for part, other in [*((p, firsts) for p in lasts), *((p, lasts[:1]) for p in firsts)]:
            sound = phonetic(part)  # first names too, against the last name's initial: transposed names
            if dob:
                # A sound and a birth year alone are shared by too many people to score them all (a
                # common first name: a hundred at 200,000 people); with the other name's initial or
                # the month or the day they still find the same person despite a misspelt first name
                # (not its first sound), a typo in the day or month, or day and month swapped.
                for mark in initials(other[0]) if other else ("",):
                    keys.add(f"ly:{sound}:{dob.year}:{mark}")
                keys.add(f"lyn:{sound}:{dob.year}:{dob.month}")
                keys.add(f"lyn:{sound}:{dob.year}:{dob.day}")
                keys.add(f"lmd:{sound}:{dob.month:02d}{dob.day:02d}")
            if sector:
                keys.add(f"lp:{sound}:{sector}")
        if given and dob:
            keys.add(f"gd:{given}:{dob.isoformat()}")
            if dob.day <= 12:
                keys.add(f"gd:{given}:{dob.year}-{dob.day:02d}-{dob.month:02d}")
        if given and sector:
            keys.add(f"gp:{given}:{sector}")
    return frozenset(keys)


@lru_cache(maxsize=65536)
def initials(part: str) -> tuple[str, ...]:
    """A name part's first sound, and each nickname group it is in ("kate": K and Catherine's group,
    so that Kate, Cate and Catherine share one)."""
    return (phonetic(part)[:1] or part[:1], *sorted(f"g{group}" for group in _nickname_index().get(part, ())))


# The similarity helpers below are pure and called for every candidate of every referral, mostly
# with names seen before (candidates share a surname sound or a first-name group): cached.
@lru_cache(maxsize=1 << 17)
def _given_similarity(a: str, b: str) -> tuple[float, str]:
    pa, pb = name_parts(a)[:1], name_parts(b)[:1]
    if not pa or not pb:
        return 0.0, ""
    x, y = pa[0], pb[0]
    if x == y:
        return 1.0, "same first name"
    if same_given_name(x, y):
        return 0.95, "first name is a known short form"
    if phonetic(x) == phonetic(y):
        return 0.9, "first name sounds the same"
    similarity = JaroWinkler.normalized_similarity(x, y)
    return similarity, "first name spelt similarly" if similarity >= 0.85 else ""


@lru_cache(maxsize=1 << 17)
def _family_similarity(a: str, b: str) -> tuple[float, str]:
    pa, pb = name_parts(a), name_parts(b)
    if not pa or not pb:
        return 0.0, ""
    if " ".join(pa) == " ".join(pb):
        return 1.0, "same last name"
    if set(pa) & set(pb):
        return 0.92, "shares part of a double-barrelled last name"
    best = max(JaroWinkler.normalized_similarity(x, y) for x in pa for y in pb)
    sounds = any(phonetic(x) == phonetic(y) for x in pa for y in pb)
    if sounds:
        return max(best, 0.9), "last name sounds the same"
    return best, "last name spelt similarly" if best >= 0.85 else ""


def _dob_similarity(a: date | None, b: date | None) -> tuple[float | None, str]:
    if a is None or b is None:
        return None, ""
    if a == b:
        return 1.0, "same date of birth"
    if _far_apart(a, b):  # most candidates: the same answer as below, sooner
        return _FAR_APART
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return 0.9, "date of birth with day and month swapped"
    distance = Levenshtein.distance(_digits(a), _digits(b))
    if distance == 1:
        return 0.85, "date of birth differs by one digit"
    if abs((a - b).days) <= 2:
        return 0.8, "date of birth within two days"
    if distance == 2 and a.year == b.year:
        return 0.4, ""
    return 0.0, "different date of birth"


_FAR_APART = (0.0, "different date of birth")


def _far_apart(a: date, b: date) -> bool:
    """Different years, days or months and more than two days apart: no swap, no typo, nothing close."""
    return a.year != b.year and (a.month != b.month or a.day != b.day) and abs(a.toordinal() - b.toordinal()) > 2


@lru_cache(maxsize=65536)
def _digits(day: date) -> str:
    return day.strftime("%Y%m%d")


def _postcode_similarity(a: str, b: str) -> tuple[float | None, str]:
    ca, cb = postcode_compact(a), postcode_compact(b)
    if not ca or not cb:
        return None, ""
    if ca == cb:
        return 1.0, "same postcode"
    sector = postcode_sector(a)
    if sector and sector == postcode_sector(b):
        return 0.6, "same postcode sector"
    return 0.5, ""  # people move, often to escape abuse: a different postcode is weak evidence against


def score(a: Identity, b: Identity) -> Match:
    """How likely two identities are the same person (0-1), with the reasons.

    Names count most; a changed last name (marriage) is tolerated when first name,
    date of birth and postcode agree. First and last names are also tried swapped,
    and against each record's other names.
    """
    return _score(a, b, _dob_similarity(a.date_of_birth, b.date_of_birth), _postcode_similarity(a.postcode, b.postcode))


def _score(
    a: Identity, b: Identity, dob_match: tuple[float | None, str], postcode_match: tuple[float | None, str]
) -> Match:
    """`score()` with the date of birth and postcode similarities already worked out."""
    dob, postcode = dob_match[0], postcode_match[0]
    best, why = 0.0, ()
    for af, al in ((a.first_name, a.last_name), *a.other_names):
        for bf, bl in ((b.first_name, b.last_name), *b.other_names):
            given, why_given = _given_similarity(af, bf)
            family, why_family = _family_similarity(al, bl)
            value = _combine(given, family, dob, postcode)
            if value > best:
                best, why = value, (why_given, why_family)
            # The same with first and last names swapped (recorded the wrong way round).
            given, why_given = _given_similarity(af, bl)
            family, why_family = _family_similarity(al, bf)
            value = _combine(given * 0.97, family * 0.97, dob, postcode)
            if value > best:
                best, why = value, (why_given, why_family, "first and last names swapped")
    return Match(score=round(best, 4), reasons=tuple(r for r in (*why, dob_match[1], postcode_match[1]) if r))


def _combine(given: float, family: float, dob: float | None, postcode: float | None) -> float:
    # Weighted evidence; missing dob/postcode are neutral (weights renormalised). Written out
    # (not summed over a list) because it runs for every candidate; same arithmetic, same order.
    if dob is None:
        if postcode is None:
            value = (given * 0.3 + family * 0.25) / (0.3 + 0.25)
        else:
            value = (given * 0.3 + family * 0.25 + postcode * 0.1) / (0.3 + 0.25 + 0.1)
    elif postcode is None:
        value = (given * 0.3 + family * 0.25 + dob * 0.35) / (0.3 + 0.25 + 0.35)
    else:
        value = (given * 0.3 + family * 0.25 + dob * 0.35 + postcode * 0.1) / (0.3 + 0.25 + 0.35 + 0.1)
    # A different last name with everything else strong: likely a change of name.
    if family < 0.7 and given >= 0.95 and (dob or 0) >= 0.99 and (postcode or 0) >= 0.99:
        value = max(value, 0.94)
    if (dob is not None and dob < 0.4) or given < 0.6:
        value = min(value, 0.7)  # never auto-link when a strong identifier disagrees
    if dob is None and postcode is None:
        value = min(value, 0.8)  # names alone never suffice to link automatically
    return value


def rank(target: Identity, candidates: Iterable[tuple[object, Identity]], limit: int = 5) -> list[tuple[object, Match]]:
    """Score candidates (id, identity) against the target; best first, above the candidate threshold."""
    scored = [(key, score(target, identity)) for key, identity in candidates]
    scored = [item for item in scored if item[1].score >= CANDIDATE_THRESHOLD]
    scored.sort(key=lambda item: item[1].score, reverse=True)
    return scored[:limit]


def best_match(target: Identity, candidates: Iterable[tuple[object, Identity]]) -> tuple[object, Match] | None:
    """`rank(target, candidates, limit=1)[0]`, or None when that is empty, without scoring every candidate.

    The date of birth bounds what a candidate can score (names and postcode at best identical), so
    candidates are scored in order of that bound until none left could beat the best so far, or tie
    with it from earlier in `candidates` (rank() keeps the earlier of two equal scores). Most
    candidates for someone known were born on a date far from theirs, which caps them below the true
    match: those are set aside unbounded and looked at last, only if the best so far is low.
    """
    born, code = target.date_of_birth, target.postcode
    has_postcode = bool(postcode_compact(code))
    near, far = [], []
    for order, (key, identity) in enumerate(candidates):
        other = identity.date_of_birth
        if born is not None and other is not None and _far_apart(born, other):
            far.append((order, key, identity))
            continue
        dob = _dob_similarity(born, other)
        # Whether both have a postcode changes the weights, so that part of the bound is exact.
        postcode = 1.0 if has_postcode and postcode_compact(identity.postcode) else None
        near.append((-_upper_bound(dob[0], postcode), order, key, identity, dob))
    near.sort()  # highest bound first, then in the candidates' order (`order` is unique)
    best: tuple[float, int, object, Match] | None = None
    for negative_bound, order, key, identity, dob in near:
        if _beyond_reach(-negative_bound, order, best):
            if best is None or -negative_bound < best[0]:
                break  # and so is everyone after
            continue
        best = _better(best, order, key, _score(target, identity, dob, _postcode_similarity(code, identity.postcode)))
    for order, key, identity in far:
        if best and best[0] > _FAR_APART_CEILING:
            break
        postcode = 1.0 if has_postcode and postcode_compact(identity.postcode) else None
        if not _beyond_reach(_upper_bound(0.0, postcode), order, best):
            match = _score(target, identity, _FAR_APART, _postcode_similarity(code, identity.postcode))
            best = _better(best, order, key, match)
    return (best[2], best[3]) if best else None


def _beyond_reach(bound: float, order: int, best: tuple[float, int, object, Match] | None) -> bool:
    """Whether a candidate that can score at most `bound` cannot be the best (a tie goes to the earlier)."""
    if best is None:
        return bound < CANDIDATE_THRESHOLD
    return bound < best[0] or (bound == best[0] and order > best[1])


def _better(
    best: tuple[float, int, object, Match] | None, order: int, key: object, match: Match
) -> tuple[float, int, object, Match] | None:
    if match.score < CANDIDATE_THRESHOLD:
        return best
    if best is None or match.score > best[0] or (match.score == best[0] and order < best[1]):
        return (match.score, order, key, match)
    return best


@lru_cache(maxsize=64)
def _upper_bound(dob: float | None, postcode: float | None) -> float:
    """The most a candidate with this date of birth similarity and a postcode similarity at most this can
    score, rounded as scores are: names scoring 1. (`_combine` never decreases as the date of birth,
    postcode or first name agree more; a last name agreeing less can lift a score to 0.94 when all
    else agrees, but identical names then score more than that.)
    """
    return round(_combine(1.0, 1.0, dob, postcode), 4)


_FAR_APART_CEILING = _upper_bound(0.0, 1.0)  # the most a candidate born far apart can score
