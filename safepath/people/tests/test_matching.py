"""Matching quality on a labelled synthetic set (issue: precision ≥ 0.98 and recall ≥ 0.95
for automatic links; every true match among the top 5 candidates)."""

from collections import defaultdict
from datetime import date

import pytest

from safepath.people.matching import (
    AUTO_LINK_THRESHOLD,
    Identity,
    blocking_keys,
    name_parts,
    postcode_sector,
    rank,
    same_given_name,
    score,
)
from safepath.people.synthetic import labelled_set, people

JANE = Identity("Jane", "Smith", date(1990, 4, 7), "ME4 4AB")


def test_it_normalises_names_and_postcodes():
    assert name_parts("  Zoë O'Neill-Smith ") == ["zoe", "oneill", "smith"]
    assert postcode_sector("me44ab") == "ME4 4"
    assert postcode_sector("ME4") == ""


def test_it_knows_short_forms():
    assert same_given_name("kate", "catherine")
    assert same_given_name("liz", "beth")
    assert not same_given_name("kate", "karen")


@pytest.mark.parametrize(
    ("other", "reason"),
    [
        (Identity("Jayne", "Smith", date(1990, 4, 7), "ME4 4AB"), "first name sounds the same"),
        (Identity("Jane", "Smyth", date(1990, 4, 7), "ME4 4AB"), "last name sounds the same"),
        (Identity("Smith", "Jane", date(1990, 4, 7), "ME4 4AB"), "first and last names swapped"),
        (Identity("Jane", "Smith-Jones", date(1990, 4, 7), "ME4 4AB"), "shares part of a double-barrelled last name"),
        (Identity("Jane", "Smith", date(1990, 7, 4), "ME4 4AB"), "date of birth with day and month swapped"),
        (Identity("Jane", "Smith", date(1991, 4, 7), "ME4 4AB"), "date of birth differs by one digit"),
        (Identity("Jane", "Smith", date(1990, 4, 7), "me44ab"), "same postcode"),
    ],
)
def test_it_scores_common_recording_errors_highly_and_says_why(other, reason):
    match = score(JANE, other)
    assert match.score >= AUTO_LINK_THRESHOLD, match
    assert reason in match.reasons


def test_it_links_a_married_name_only_when_everything_else_agrees():
    assert score(JANE, Identity("Jane", "Okafor", date(1990, 4, 7), "ME4 4AB")).score >= AUTO_LINK_THRESHOLD
    assert score(JANE, Identity("Jane", "Okafor", date(1990, 4, 7), "CT1 2AA")).score < AUTO_LINK_THRESHOLD


def test_it_never_links_automatically_on_names_alone():
    assert score(Identity("Jane", "Smith"), Identity("Jane", "Smith")).score < AUTO_LINK_THRESHOLD


def test_it_keeps_relatives_apart():
    daughter = Identity("Chloe", "Smith", date(2008, 1, 2), "ME4 4AB")
    assert score(JANE, daughter).score < AUTO_LINK_THRESHOLD


def test_it_shares_a_blocking_key_despite_one_error():
    for other in [
        Identity("Smith", "Jane", date(1990, 4, 7), ""),
        Identity("Jane", "Okafor", date(1990, 4, 7), "ME4 4AB"),
        Identity("Jane", "Smith", date(1990, 7, 4), ""),
        Identity("Jayne", "Smyth", None, "ME4 4AB"),
    ]:
        assert blocking_keys(JANE) & blocking_keys(other), other


def _index(known):
    index = defaultdict(set)
    for number, identity in enumerate(known):
        for key in blocking_keys(identity):
            index[key].add(number)
    return index


@pytest.mark.parametrize("seed", [11, 21])
def test_it_meets_the_precision_recall_and_top5_targets(seed):
    known = people(3000, seed=seed)
    index = _index(known)
    labelled = labelled_set(known, 3000, seed=seed + 1)
    auto_right = auto_wrong = true_matches = in_top5 = 0
    misses = []
    for item in labelled:
        candidate_ids = set().union(*(index.get(k, set()) for k in blocking_keys(item.identity)))
        ranked = rank(item.identity, [(i, known[i]) for i in candidate_ids], limit=5)
        top = ranked[0] if ranked else None
        if item.truth is not None:
            true_matches += 1
            in_top5 += any(i == item.truth for i, _ in ranked)
            if not any(i == item.truth for i, _ in ranked):
                misses.append((item.error, item.identity, known[item.truth]))
        if top and top[1].score >= AUTO_LINK_THRESHOLD:
            if top[0] == item.truth:
                auto_right += 1
            else:
                auto_wrong += 1
    precision = auto_right / (auto_right + auto_wrong)
    recall = auto_right / true_matches
    print(f"precision={precision:.4f} recall={recall:.4f} top5={in_top5 / true_matches:.4f}")
    assert precision >= 0.98
    assert recall >= 0.95
    assert in_top5 == true_matches, misses[:5]
