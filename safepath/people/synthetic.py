"""A labelled synthetic set of referral identities with realistic recording errors.

Used by the matching tests and benchmarks: every variant knows which person it
really is (or that it is nobody known), so precision and recall can be measured.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from faker import Faker

from safepath.people.matching import Identity

NICKNAMES = {
    "Elizabeth": "Liz", "Catherine": "Kate", "Katherine": "Katie", "Rebecca": "Becky", "Samantha": "Sam",
    "Jennifer": "Jen", "Deborah": "Debbie", "Amanda": "Mandy", "Susan": "Sue", "Victoria": "Vicky",
    "Joanne": "Jo", "Christine": "Chris", "Nicola": "Nicky", "Margaret": "Maggie", "Patricia": "Trish",
    "Jacqueline": "Jackie", "Alexandra": "Alex", "Charlotte": "Lottie", "Abigail": "Abbie", "Stephanie": "Steph",
    "William": "Bill", "Robert": "Rob", "James": "Jim", "Michael": "Mike", "David": "Dave", "Daniel": "Dan",
    "Thomas": "Tom", "Richard": "Rick", "Matthew": "Matt", "Andrew": "Andy", "Joseph": "Joe", "Benjamin": "Ben",
}

ERRORS = [
    "exact", "typo_first", "typo_last", "nickname", "transposed", "double_barrelled", "married",
    "dob_typo", "dob_swap", "postcode_spacing", "no_dob", "no_postcode", "moved",
]


@dataclass(frozen=True)
class Labelled:
    identity: Identity
    truth: int | None  # index of the true person, None when the person is new
    error: str


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["swap", "drop", "double", "vowel"])
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    vowels = "aeiou"
    return word[:i] + rng.choice([v for v in vowels if v != word[i]]) + word[i + 1 :]


def _dob_typo(rng: random.Random, dob: date) -> date:
    for _ in range(20):
        text = list(dob.strftime("%Y%m%d"))
        i = rng.choice([3, 6, 7])  # last digit of the year, or a day digit
        text[i] = str((int(text[i]) + rng.choice([1, 9])) % 10)
        try:
            return date(int("".join(text[:4])), int("".join(text[4:6])), int("".join(text[6:])))
        except ValueError:
            continue
    return dob + timedelta(days=1)


def people(count: int, seed: int = 1) -> list[Identity]:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    result = []
    for _ in range(count):
        female = rng.random() < 0.85
        first = rng.choice(list(NICKNAMES)[:20]) if rng.random() < 0.25 and female else (
            fake.first_name_female() if female else fake.first_name_male()
        )
        dob = fake.date_of_birth(minimum_age=16, maximum_age=80)
        result.append(Identity(first, fake.last_name(), dob, fake.postcode()))
    return result


def variant(rng: random.Random, fake: Faker, person: Identity, error: str) -> Identity:
    p = person
    if error == "typo_first":
        return replace(p, first_name=_typo(rng, p.first_name))
    if error == "typo_last":
        return replace(p, last_name=_typo(rng, p.last_name))
    if error == "nickname":
        return replace(p, first_name=NICKNAMES.get(p.first_name, p.first_name.lower()))
    if error == "transposed":
        return replace(p, first_name=p.last_name, last_name=p.first_name)
    if error == "double_barrelled":
        return replace(p, last_name=f"{p.last_name}-{fake.last_name()}")
    if error == "married":
        return replace(p, last_name=fake.last_name())
    if error == "dob_typo" and p.date_of_birth:
        return replace(p, date_of_birth=_dob_typo(rng, p.date_of_birth))
    if error == "dob_swap" and p.date_of_birth and p.date_of_birth.day <= 12 and p.date_of_birth.day != p.date_of_birth.month:
        d = p.date_of_birth
        return replace(p, date_of_birth=date(d.year, d.day, d.month))
    if error == "postcode_spacing":
        return replace(p, postcode=p.postcode.replace(" ", "").lower())
    if error == "no_dob":
        return replace(p, date_of_birth=None)
    if error == "no_postcode":
        return replace(p, postcode="")
    if error == "moved":
        return replace(p, postcode=fake.postcode())
    return p


def labelled_set(known: list[Identity], count: int, seed: int = 2, new_share: float = 0.3) -> list[Labelled]:
    """`count` referrals: some about known people (with errors), some about new people who
    share a surname, first name or date of birth with someone known (hard negatives)."""
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    result = []
    for _ in range(count):
        if rng.random() < new_share:
            base = rng.choice(known)
            kind = rng.choice(["same_last", "same_first_dob", "relative", "stranger"])
            if kind == "same_last":
                other = Identity(fake.first_name_female(), base.last_name, fake.date_of_birth(minimum_age=16, maximum_age=80), base.postcode)
            elif kind == "same_first_dob":
                other = Identity(base.first_name, fake.last_name(), base.date_of_birth, fake.postcode())
            elif kind == "relative":  # a daughter or sister at the same address
                dob = base.date_of_birth + timedelta(days=rng.choice([-1, 1]) * rng.randint(400, 9000)) if base.date_of_birth else None
                other = Identity(fake.first_name_female(), base.last_name, dob, base.postcode)
            else:
                other = people(1, seed=rng.randint(10_000, 10**9))[0]
            result.append(Labelled(other, None, f"new:{kind}"))
            continue
        truth = rng.randrange(len(known))
        error = rng.choice(ERRORS)
        identity = variant(rng, fake, known[truth], error)
        if rng.random() < 0.15:  # a second, different error now and then
            identity = variant(rng, fake, identity, rng.choice(["typo_first", "postcode_spacing", "nickname", "dob_swap"]))
        result.append(Labelled(identity, truth, error))
    return result
