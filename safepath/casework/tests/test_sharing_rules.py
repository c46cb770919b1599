"""The pure consent rules (casework/sharing.py), exhaustively."""

from __future__ import annotations

from datetime import date

import pytest

from safepath.casework.sharing import ConsentFacts, Recipient, Verdict, agency_key, covers_scope, in_force, judge

SCOPES = ["risk_information", "safety_plan", "contact_details", "full_case"]
DAY = date(2026, 3, 12)
CONSORTIUM = frozenset({1, 2})


def facts(
    recipient="organisation",
    org=2,
    agency="",
    scopes=("risk_information",),
    given=date(2026, 1, 1),
    withdrawn=None,
    pk=1,
):
    return ConsentFacts(
        pk, recipient, org if recipient == "organisation" else None, agency, frozenset(scopes), given, withdrawn
    )


@pytest.mark.parametrize(
    ("given", "withdrawn", "expected"),
    [
        (DAY, None, True),
        (date(2026, 3, 13), None, False),
        (date(2026, 1, 1), DAY, False),  # withdrawn that day
        (date(2026, 1, 1), date(2026, 3, 13), True),
        (date(2026, 1, 1), date(2026, 2, 1), False),
    ],
)
def test_it_knows_when_consent_is_in_force(given, withdrawn, expected):
    assert in_force(facts(given=given, withdrawn=withdrawn), DAY) is expected


@pytest.mark.parametrize("consented", SCOPES)
@pytest.mark.parametrize("asked", SCOPES)
def test_it_covers_a_scope_only_when_named_or_full_case(consented, asked):
    assert covers_scope([consented], asked) is (consented == asked or consented == "full_case")


def test_it_compares_agency_names_loosely():
    assert agency_key("  Victim   Support ") == agency_key("victim support")


@pytest.mark.parametrize(
    ("consent", "recipient", "expected"),
    [
        (facts(org=2), Recipient(organisation_id=2), Verdict.ALLOWED),
        (facts(org=2), Recipient(organisation_id=3), Verdict.NO_CONSENT),
        (facts("agency", agency="Victim Support"), Recipient(agency_name="VICTIM SUPPORT"), Verdict.ALLOWED),
        (facts("agency", agency="Victim Support"), Recipient(organisation_id=2), Verdict.NO_CONSENT),
        (facts("consortium"), Recipient(organisation_id=2), Verdict.ALLOWED),
        (facts("consortium"), Recipient(organisation_id=9), Verdict.NO_CONSENT),
        (facts("consortium"), Recipient(agency_name="Victim Support"), Verdict.NO_CONSENT),
        (facts(scopes=["safety_plan"]), Recipient(organisation_id=2), Verdict.SCOPE),
        (facts(withdrawn=date(2026, 3, 1)), Recipient(organisation_id=2), Verdict.WITHDRAWN),
        (facts(given=date(2026, 3, 13)), Recipient(organisation_id=2), Verdict.NOT_YET),
    ],
)
def test_it_judges_one_consent(consent, recipient, expected):
    verdict, found = judge([consent], recipient, "risk_information", DAY, CONSORTIUM)
    assert verdict is expected
    assert (found is None) is (expected is Verdict.NO_CONSENT)


def test_it_finds_the_consent_that_allows_among_several():
    old = facts(withdrawn=date(2026, 2, 1), pk=1)
    narrow = facts(scopes=["safety_plan"], pk=2)
    renewed = facts(given=date(2026, 3, 1), pk=3)
    assert judge([old, narrow, renewed], Recipient(organisation_id=2), "risk_information", DAY, CONSORTIUM) == (
        Verdict.ALLOWED,
        renewed,
    )


def test_it_explains_the_scope_before_an_old_withdrawal():
    old = facts(withdrawn=date(2026, 2, 1), pk=1)
    narrow = facts(scopes=["safety_plan"], pk=2)
    assert judge([old, narrow], Recipient(organisation_id=2), "risk_information", DAY, CONSORTIUM)[0] is Verdict.SCOPE
