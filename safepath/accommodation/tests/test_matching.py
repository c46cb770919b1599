"""What a vacancy lacks, in plain words: pure rules, checked example by example and as properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from safepath.accommodation import matching as m

children = st.lists(st.builds(m.Child, st.integers(0, 17), st.sampled_from([m.GIRL, m.BOY])), max_size=6)
needs = st.builds(
    m.Need,
    gender=st.sampled_from(m.GENDERS),
    adults=st.integers(1, 3),
    children=children.map(tuple),
    pets=st.booleans(),
    accessible=st.booleans(),
    language=st.sampled_from(["", "English", "Urdu", "Polish"]),
    specialisms=st.frozensets(st.sampled_from(m.SPECIALISMS)),
)
spaces = st.builds(
    m.Space,
    accessible=st.booleans(),
    accepts_men=st.booleans(),
    max_children=st.integers(0, 6),
    max_boy_age=st.none() | st.integers(0, 17),
    accepts_pets=st.booleans(),
    languages=st.lists(st.sampled_from(["Urdu", "Polish", "Punjabi"]), max_size=2).map(tuple),
    by_and_for=st.booleans(),
    lgbt=st.booleans(),
    complex_needs=st.booleans(),
)
EVERYTHING = m.Space(True, True, 12, None, True, ("Urdu", "Polish"), True, True, True)


def test_it_finds_nothing_missing_for_a_woman_alone():
    assert m.gaps(m.Need(), m.Space()) == []


def test_it_says_what_is_missing_in_plain_words():
    need = m.Need(
        gender=m.MAN,
        children=(m.Child(15, m.BOY), m.Child(3, m.GIRL), m.Child(5, m.GIRL)),
        pets=True,
        accessible=True,
        language="Urdu",
        specialisms=frozenset({m.LGBT}),
    )
    space = m.Space(max_children=2, max_boy_age=12)
    assert m.gaps(need, space) == [
        "Does not take men",
        "Takes at most 2 children",
        "Takes boys only up to age 12",
        "Does not take pets",
        "Not accessible to a wheelchair user",
        "No staff speak Urdu",
        "Not a specialist LGBT+ service",
    ]


def test_it_says_no_children_once():
    assert m.gaps(m.Need(children=(m.Child(16, m.BOY),)), m.Space(max_children=0)) == ["Does not take children"]


def test_it_treats_trans_men_as_men_and_asks_first_for_non_binary_adults():
    assert m.gaps(m.Need(gender=m.TRANS_MAN), m.Space()) == ["Does not take men"]
    assert m.gaps(m.Need(gender=m.TRANS_WOMAN), m.Space()) == []
    assert m.gaps(m.Need(gender=m.NON_BINARY), m.Space()) == ["Women-only: ask the service first"]


def test_it_matches_languages_ignoring_case_and_english():
    assert m.gaps(m.Need(language="urdu "), m.Space(languages=("Urdu",))) == []
    assert m.gaps(m.Need(language="English"), m.Space()) == []


@given(needs)
def test_it_finds_nothing_missing_where_everything_is_offered(need):
    assert m.gaps(need, EVERYTHING) == []


@given(needs, spaces)
def test_it_lists_each_gap_once(need, space):
    found = m.gaps(need, space)
    assert len(found) == len(set(found))


@given(needs, spaces)
def test_it_never_finds_more_gaps_when_a_space_offers_more(need, space):
    richer = m.Space(
        accessible=True,
        accepts_men=True,
        max_children=max(space.max_children, 12),
        max_boy_age=None,
        accepts_pets=True,
        languages=space.languages,
        by_and_for=True,
        lgbt=True,
        complex_needs=True,
    )
    assert set(m.gaps(need, richer)) <= set(m.gaps(need, space))


@given(needs, spaces)
def test_it_finds_a_gap_for_every_unmet_need(need, space):
    found = m.gaps(need, space)
    if need.pets and not space.accepts_pets:
        assert "Does not take pets" in found
    if need.accessible and not space.accessible:
        assert "Not accessible to a wheelchair user" in found
    if len(need.children) > space.max_children:
        assert any("children" in gap or "child" in gap for gap in found)


def test_it_ranks_local_first():
    assert m.locality(5, 1, 5, 1) == m.SAME_AREA
    assert m.locality(6, 1, 5, 1) == m.SAME_COUNCIL
    assert m.locality(1, None, 5, 1) == m.SAME_COUNCIL  # the council-wide service
    assert m.locality(9, 2, 5, 1) == m.ELSEWHERE
    assert m.locality(9, 2, None, None) == m.ELSEWHERE


def test_it_reads_ages():
    assert m.parse_ages("3, 14") == [3, 14]
    assert m.parse_ages("3 and 7; 9") == [3, 7, 9]
    assert m.parse_ages("") == []
    assert m.parse_ages("18") is None
    assert m.parse_ages("three") is None
