"""What a vacancy lacks for a household: pure rules, no Django (tested exhaustively).

`gaps(need, space)` lists, in plain words, each thing the household needs that the space does not
offer; an empty list is a full match. `locality(...)` ranks a service's area against the
household's home area so local spaces come first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

GIRL, BOY = "girl", "boy"
WOMAN, MAN, TRANS_WOMAN, TRANS_MAN, NON_BINARY = "woman", "man", "trans_woman", "trans_man", "non_binary"
GENDERS = (WOMAN, MAN, TRANS_WOMAN, TRANS_MAN, NON_BINARY)
BY_AND_FOR, LGBT, COMPLEX_NEEDS = "by_and_for", "lgbt", "complex_needs"
SPECIALISMS = (BY_AND_FOR, LGBT, COMPLEX_NEEDS)
# Languages every service is taken to work in.
EVERYWHERE = frozenset({"english"})

SAME_AREA, SAME_COUNCIL, ELSEWHERE = 0, 1, 2


@dataclass(frozen=True)
class Child:
    age: int
    sex: str  # GIRL or BOY


@dataclass(frozen=True)
class Need:
    gender: str = WOMAN  # of the adult seeking safety
    adults: int = 1
    children: tuple[Child, ...] = ()
    pets: bool = False
    accessible: bool = False
    language: str = ""
    specialisms: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Space:
    accessible: bool = False
    accepts_men: bool = False
    max_children: int = 0
    max_boy_age: int | None = None  # None: boys of any age
    accepts_pets: bool = False
    languages: tuple[str, ...] = ()
    by_and_for: bool = False
    lgbt: bool = False
    complex_needs: bool = False


def _children_gaps(need: Need, space: Space) -> list[str]:
    found: list[str] = []
    count = len(need.children)
    if count and space.max_children == 0:
        return ["Does not take children"]
    if count > space.max_children:
        found.append(f"Takes at most {space.max_children} {'child' if space.max_children == 1 else 'children'}")
    oldest_boy = max((c.age for c in need.children if c.sex == BOY), default=None)
    if oldest_boy is not None and space.max_boy_age is not None and oldest_boy > space.max_boy_age:
        found.append(f"Takes boys only up to age {space.max_boy_age}")
    return found


def _specialism_gaps(need: Need, space: Space) -> list[str]:
    missing = {
        BY_AND_FOR: (space.by_and_for, "Not a by-and-for service"),
        LGBT: (space.lgbt, "Not a specialist LGBT+ service"),
        COMPLEX_NEEDS: (space.complex_needs, "Does not support complex needs"),
    }
    return [text for key, (offered, text) in missing.items() if key in need.specialisms and not offered]


def gaps(need: Need, space: Space) -> list[str]:
    """Everything the space lacks for the household, in plain words (empty: it fits)."""
    found: list[str] = []
    if need.gender in (MAN, TRANS_MAN) and not space.accepts_men:
        found.append("Does not take men")
    if need.gender == NON_BINARY and not space.accepts_men:
        found.append("Women-only: ask the service first")
    found += _children_gaps(need, space)
    if need.pets and not space.accepts_pets:
        found.append("Does not take pets")
    if need.accessible and not space.accessible:
        found.append("Not accessible to a wheelchair user")
    language = need.language.strip().lower()
    if language and language not in EVERYWHERE and language not in {x.strip().lower() for x in space.languages}:
        found.append(f"No staff speak {need.language.strip()}")
    return found + _specialism_gaps(need, space)


def locality(service_area: int, service_council: int | None, home_area: int | None, home_council: int | None) -> int:
    """SAME_AREA, SAME_COUNCIL or ELSEWHERE. A council is an area's parent, or the area itself."""
    if home_area is None:
        return ELSEWHERE
    if service_area == home_area:
        return SAME_AREA
    mine = service_council or service_area
    theirs = home_council or home_area
    return SAME_COUNCIL if mine == theirs else ELSEWHERE


def parse_ages(text: str) -> list[int] | None:
    """ "3, 14" -> [3, 14]; None when something is not an age from 0 to 17."""
    ages = []
    for part in text.replace(";", ",").replace(" and ", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) > 17:
            return None
        ages.append(int(part))
    return ages
