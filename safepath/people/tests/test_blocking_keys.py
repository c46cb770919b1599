"""Blocking keys: narrow enough that a common name and a birth year are not a candidate on their own,
wide enough that a record with one recording error (and the usual second one) still shares a key."""

from datetime import date

import pytest

from safepath.people.matching import Identity, blocking_keys, initials

JANE = Identity("Jane", "Smith", date(1990, 4, 17), "ME4 4AB")


def test_a_shared_surname_and_birth_year_alone_is_not_a_candidate():
    stranger = Identity("Olivia", "Smith", date(1990, 9, 3), "CT1 2AA")
    assert not blocking_keys(JANE) & blocking_keys(stranger)


@pytest.mark.parametrize(
    "other",
    [
        Identity("Jnae", "Smith", date(1990, 4, 19), "TN1 1AA"),  # first name misspelt, day typo, moved
        Identity("Jane", "Smith", date(1990, 2, 17), "TN1 1AA"),  # month typo, moved
        Identity("Janet", "Smith", date(1990, 4, 19), ""),  # another first name, day typo, no postcode
        Identity("Smith", "Jane", date(1990, 4, 19), "TN1 1AA"),  # transposed, day typo, moved
        Identity("Jane", "Smith", date(1990, 7, 7), "TN1 1AA"),  # month and day both wrong: same first initial
    ],
)
def test_one_error_and_a_move_still_share_a_key(other):
    assert blocking_keys(JANE) & blocking_keys(other), other


def test_a_nickname_shares_the_initial_of_its_group():
    assert set(initials("kate")) & set(initials("catherine"))
    kate = Identity("Smith", "Kate", date(1990, 4, 19), "")  # transposed, nickname, day typo
    catherine = Identity("Catherine", "Smith", date(1990, 4, 17), "ME4 4AB")
    assert blocking_keys(kate) & blocking_keys(catherine)
