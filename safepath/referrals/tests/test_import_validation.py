"""Every reason a row can be rejected, in plain English, and what a good row becomes."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest

from safepath.referrals.importing import RowValidator, import_file
from safepath.referrals.services import Incoming
from safepath.referrals.tests.test_import_support import area, csv_bytes, frozen, hub, row  # noqa: F401

REASONS = [
    ({"source": ""}, "source is missing"),
    ({"source": "carrier pigeon"}, "source must be police, victim_support, health, gp, hospital"),
    ({"source_ref": ""}, "source_ref is missing"),
    ({"source_ref": "x" * 101}, "source_ref is longer than 100 characters"),
    ({"received_at": ""}, "received_at is missing"),
    ({"received_at": "10/03/2026"}, "received_at must be an ISO 8601 date or date-time"),
    ({"received_at": "2026-02-30"}, "received_at must be an ISO 8601 date or date-time"),
    ({"received_at": "2027-01-01"}, "received_at is in the future"),
    ({"first_name": ""}, "first_name is missing"),
    ({"first_name": "J" * 101}, "first_name is longer than 100 characters"),
    ({"last_name": "  "}, "last_name is missing"),
    ({"last_name": "S" * 101}, "last_name is longer than 100 characters"),
    ({"date_of_birth": "07/04/1990"}, "date_of_birth must be a real date in the form YYYY-MM-DD, or blank"),
    ({"date_of_birth": "1990-02-30"}, "date_of_birth must be a real date in the form YYYY-MM-DD, or blank"),
    ({"date_of_birth": "2026-03-11"}, "date_of_birth is after received_at"),
    ({"date_of_birth": "1899-01-01"}, "date_of_birth is more than 120 years before received_at"),
    ({"sex": "f"}, "sex must be female, male, other or unknown, or blank"),
    ({"postcode": "NOT A CODE"}, "postcode is not a UK postcode"),
    ({"area": "Atlantis"}, "area is not the name of a configured area"),
    ({"risk_level": "very high"}, "risk_level must be standard, medium or high, or blank"),
    ({"dash_score": "25"}, "dash_score must be a whole number from 0 to 24, or blank"),
    ({"dash_score": "-1"}, "dash_score must be a whole number from 0 to 24, or blank"),
    ({"dash_score": "12.5"}, "dash_score must be a whole number from 0 to 24, or blank"),
    ({"professional_judgement_high": "maybe"}, "professional_judgement_high must be yes, no or blank"),
    ({"police_callouts_12m": "three"}, "police_callouts_12m must be a whole number from 0 to 999, or blank"),
    ({"children_in_household": "2.5"}, "children_in_household must be a whole number from 0 to 30, or blank"),
    ({"abuse_types": "physical;shouting"}, "abuse_types must be a ;-separated list from: physical, sexual"),
    ({"perpetrator_first_name": "M" * 101}, "perpetrator_first_name is longer than 100 characters"),
    ({"perpetrator_last_name": "M" * 101}, "perpetrator_last_name is longer than 100 characters"),
    (
        {"perpetrator_first_name": "Mark", "perpetrator_date_of_birth": "1985-13-01"},
        "perpetrator_date_of_birth must be a real date",
    ),
    (
        {"relationship": "neighbour"},
        "relationship must be intimate_partner, ex_partner, family_member or other, or blank",
    ),
    ({"consent": "maybe"}, "consent must be yes, no or not_asked, or blank"),
    ({"first_name": "Ja\x00ne"}, "this line contains a NUL character"),
]


@pytest.mark.parametrize(("values", "reason"), REASONS, ids=[r for _, r in REASONS])
def test_it_rejects_a_bad_value_with_a_plain_reason(db, frozen, area, values, reason):  # noqa: F811
    outcome = RowValidator()(row(**values))
    assert isinstance(outcome, list)
    assert len(outcome) == 1 and outcome[0].startswith(reason)


def test_it_never_repeats_the_bad_value_in_the_reason(db, frozen):  # noqa: F811
    reasons = RowValidator()(row(date_of_birth="07/04/1990", postcode="ZZ9 Jane", source="Jane Smith"))
    assert len(reasons) == 3
    assert not any("Jane" in reason or "1990" in reason or "ZZ9" in reason for reason in reasons)


def test_it_gives_every_reason_for_a_row(db, frozen):  # noqa: F811
    reasons = RowValidator()(row(source="", first_name="", dash_score="99"))
    assert reasons == [
        "source is missing",
        "first_name is missing",
        "dash_score must be a whole number from 0 to 24, or blank",
    ]


def test_it_turns_a_good_row_into_an_incoming_referral(db, frozen, area):  # noqa: F811
    values = row(
        source=" Police ", source_ref=" AB/123 ", sex="FEMALE", postcode="me44ab", area="chatham", risk_level="Medium",
        dash_score="11", professional_judgement_high="No", police_callouts_12m="2", children_in_household="3",
        abuse_types="physical; coercive_control;;physical", perpetrator_first_name="Mark", perpetrator_last_name="Jones",
        perpetrator_date_of_birth="1985-01-02", relationship="ex_partner", consent="",
    )  # fmt: skip
    incoming = RowValidator()(values)
    assert isinstance(incoming, Incoming)
    assert (incoming.channel, incoming.source, incoming.source_ref) == ("import", "police", "AB/123")
    assert incoming.received_at == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # GMT in March
    assert (incoming.first_name, incoming.last_name, incoming.date_of_birth) == ("Jane", "Smith", date(1990, 4, 7))
    assert (incoming.sex, incoming.postcode, incoming.area) == ("female", "ME44AB", area)
    assert (incoming.sent_risk_level, incoming.dash_score, incoming.professional_judgement_high) == (
        "medium",
        11,
        False,
    )
    assert (incoming.police_callouts_12m, incoming.children_in_household) == (2, 3)
    assert incoming.abuse_types == ["coercive_control", "physical"]
    assert incoming.perpetrator == {"first_name": "Mark", "last_name": "Jones", "date_of_birth": date(1985, 1, 2)}
    assert (incoming.relationship, incoming.consent) == ("ex_partner", "not_asked")
    assert incoming.submitted["import"]["source_ref"] == "AB/123"


def test_it_treats_blanks_as_not_known(db, frozen):  # noqa: F811
    incoming = RowValidator()(
        {"source": "gp", "source_ref": "1", "received_at": "2026-01-05", "first_name": "A", "last_name": "B"}
    )
    assert isinstance(incoming, Incoming)
    assert (
        incoming.date_of_birth is None
        and incoming.sex == "unknown"
        and incoming.postcode == ""
        and incoming.area is None
    )
    assert incoming.dash_score is None and incoming.professional_judgement_high is None and incoming.perpetrator is None
    assert incoming.consent == "not_asked" and incoming.abuse_types == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-10", datetime(2026, 3, 10, 0, 0, tzinfo=UTC)),  # GMT: midnight London is midnight UTC
        ("2026-06-15", datetime(2026, 6, 14, 23, 0, tzinfo=UTC)),  # BST: midnight London is 23:00 UTC the day before
        ("2026-06-15T14:30", datetime(2026, 6, 15, 13, 30, tzinfo=UTC)),  # a local time, in BST
        ("2026-06-15T14:30:00Z", datetime(2026, 6, 15, 14, 30, tzinfo=UTC)),
        ("2026-06-15T14:30:00+02:00", datetime(2026, 6, 15, 12, 30, tzinfo=UTC)),
        ("2026-06-15 14:30:05", datetime(2026, 6, 15, 13, 30, 5, tzinfo=UTC)),
    ],
)
def test_it_reads_dates_and_times_as_europe_london_unless_told_otherwise(db, frozen, text, expected):  # noqa: F811
    incoming = RowValidator()(row(received_at=text))
    assert incoming.received_at == expected


@pytest.mark.parametrize("postcode", ["ME4 4AB", "me44ab", " ME4  4AB ", "me4 4ab"])
def test_it_accepts_a_postcode_with_any_spacing_or_case(db, frozen, postcode):  # noqa: F811
    assert RowValidator()(row(postcode=postcode)).postcode == "ME44AB"


def _import(text: str):
    return import_file(io.BytesIO(text.encode()), filename="f.csv")


def test_it_rejects_lines_with_too_many_or_too_few_values(hub, frozen):  # noqa: F811
    header = "source,source_ref,received_at,first_name,last_name"
    result = _import(
        f"{header}\r\npolice,1,2026-03-10,Jane,Smith,extra\r\npolice,2,2026-03-10,Jane\r\npolice,3,2026-03-10,Jane,Smith,,\r\n"
    )
    assert [(r.line, r.reason) for r in result.rejects] == [
        (2, "this line has more values than the header row has columns"),
        (3, "this line has fewer values than the header row has columns"),
    ]
    assert result.imported == 1  # empty values beyond the header are harmless
    assert result.rejects[0].extra == ["extra"]  # nothing the sender wrote is lost


def test_it_counts_lines_as_in_the_file(hub, frozen):  # noqa: F811
    header = "source,source_ref,received_at,first_name,last_name,consent"
    text = f'{header}\r\npolice,1,2026-03-10,Jane,"Smith\r\nJones",yes\r\n\r\npolice,2,2026-03-10,Ann,Lee,perhaps\r\n'
    result = _import(text)
    assert result.imported == 1
    assert [(r.line, r.reason) for r in result.rejects] == [(5, "consent must be yes, no or not_asked, or blank")]


def test_it_rejects_a_quote_left_open_without_losing_the_rest(hub, frozen):  # noqa: F811
    header = "source,source_ref,received_at,first_name,last_name"
    result = _import(
        f'{header}\r\npolice,1,2026-03-10,Jane,Smith\r\npolice,2,2026-03-10,"Ann,Lee\r\npolice,3,2026-03-10,Bo,Chan\r\n'
    )
    assert result.imported == 1
    assert result.rejects[0].line == 3 and "quote left open" in result.rejects[0].reason
    assert "Bo" in result.rejects[0].row["first_name"]


def test_it_imports_rows_that_did_not_come_from_a_file(hub, frozen):  # noqa: F811
    from safepath.referrals.importing import csv_from_dicts, import_rows

    result = import_rows(csv_from_dicts([row(), row(first_name="")]))
    assert result.summary == "imported 1, skipped 0, rejected 1"
    assert (result.rejects[0].line, result.rejects[0].reason) == (3, "first_name is missing")
