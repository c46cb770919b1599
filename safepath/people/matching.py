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


def postcode_compact(postcode: str) -> str:
    return re.sub(r"\s+", "", postcode or "").upper()


def postcode_sector(postcode: str) -> str:
    """"ME4 4AB" -> "ME4 4"; empty when the postcode is too short to have a sector."""
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
    year, first-name group + date of birth (day/month both ways), surname sound + postcode
    sector, and the same for other names used.
    """
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
        for part in lasts + firsts:  # first names too: catches transposed names
            sound = phonetic(part)
            if dob:
                keys.add(f"ly:{sound}:{dob.year}")
                keys.add(f"lmd:{sound}:{dob.month:02d}{dob.day:02d}")
            if sector:
                keys.add(f"lp:{sound}:{sector}")
        if given and dob:
            keys.add(f"gd:{given}:{dob.isoformat()}")
            if dob.day <= 12:
                keys.add(f"gd:{given}:{dob.year}-{dob.day:02d}-{dob.month:02d}")
        if given and sector:
            keys.add(f"gp:{given}:{sector}")
    return keys


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
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return 0.9, "date of birth with day and month swapped"
    distance = Levenshtein.distance(a.strftime("%Y%m%d"), b.strftime("%Y%m%d"))
    if distance == 1:
        return 0.85, "date of birth differs by one digit"
    if abs((a - b).days) <= 2:
        return 0.8, "date of birth within two days"
    if distance == 2 and a.year == b.year:
        return 0.4, ""
    return 0.0, "different date of birth"


def _postcode_similarity(a: str, b: str) -> tuple[float | None, str]:
    ca, cb = postcode_compact(a), postcode_compact(b)
    if not ca or not cb:
        return None, ""
    if ca == cb:
        return 1.0, "same postcode"
    if postcode_sector(a) and postcode_sector(a) == postcode_sector(b):
        return 0.6, "same postcode sector"
    return 0.5, ""  # people move, often to escape abuse: a different postcode is weak evidence against


def _names_score(a_first: str, a_last: str, b_first: str, b_last: str) -> tuple[float, float, list[str]]:
    given, why_given = _given_similarity(a_first, b_first)
    family, why_family = _family_similarity(a_last, b_last)
    return given, family, [r for r in (why_given, why_family) if r]


def score(a: Identity, b: Identity) -> Match:
    """How likely two identities are the same person (0-1), with the reasons.

    Names count most; a changed last name (marriage) is tolerated when first name,
    date of birth and postcode agree. First and last names are also tried swapped,
    and against each record's other names.
    """
    best: tuple[float, list[str]] = (0.0, [])
    a_names = [(a.first_name, a.last_name), *a.other_names]
    b_names = [(b.first_name, b.last_name), *b.other_names]
    dob, why_dob = _dob_similarity(a.date_of_birth, b.date_of_birth)
    postcode, why_postcode = _postcode_similarity(a.postcode, b.postcode)
    for af, al in a_names:
        for bf, bl in b_names:
            for swapped in (False, True):
                given, family, reasons = _names_score(af, al, bl, bf) if swapped else _names_score(af, al, bf, bl)
                if swapped:
                    reasons = [*reasons, "first and last names swapped"]
                    given, family = given * 0.97, family * 0.97
                value = _combine(given, family, dob, postcode)
                if value > best[0]:
                    best = (value, reasons)
    reasons = best[1] + [r for r in (why_dob, why_postcode) if r]
    return Match(score=round(best[0], 4), reasons=tuple(reasons))


def _combine(given: float, family: float, dob: float | None, postcode: float | None) -> float:
    # Weighted evidence; missing dob/postcode are neutral (weights renormalised).
    parts = [(given, 0.3), (family, 0.25)]
    if dob is not None:
        parts.append((dob, 0.35))
    if postcode is not None:
        parts.append((postcode, 0.1))
    total = sum(w for _, w in parts)
    value = sum(v * w for v, w in parts) / total
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
