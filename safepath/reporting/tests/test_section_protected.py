"""Protected characteristics against the MARAC national profile: counts against people worked out
here from the records made, the comparison in words, disclosure control, outputs, query count."""

from __future__ import annotations

import io
import math
import pickle
import random
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone
from docx import Document

from safepath.marac.models import NationalFigure
from safepath.reporting.exports import report_bytes, report_rows
from safepath.reporting.metrics.scope import Scope
from safepath.reporting.periods import Period
from safepath.reporting.presenters import dashboard_context
from safepath.reporting.report import _Rules, build_report, to_json
from safepath.reporting.sections import protected
from safepath.reporting.tests import factories as f

PERIOD = Period(date(2025, 4, 1), date(2025, 6, 30))
CODES = ("minoritised", "lgbt", "disabled", "male", "aged_16_17")


def _age(day: date, dob: date | None, estimate: int | None) -> int | None:
    if dob is None:
        return estimate
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _has(person, code: str, received: list[datetime]) -> bool:
    """The characteristic as the MARAC dataset defines it, written out here."""
    if code == "minoritised":
        return person.ethnicity not in ("white_british", "unknown", "prefer_not_to_say")
    if code == "lgbt":
        return person.sexual_orientation in ("gay_lesbian", "bisexual", "other") or person.gender_identity in (
            "trans_woman",
            "trans_man",
            "non_binary",
            "other",
        )
    if code == "disabled":
        return person.disability == "yes"
    if code == "male":
        return person.sex == "male"
    return any(_age(timezone.localdate(r), person.date_of_birth, person.age_estimate) in (16, 17) for r in received)


ETHNICITIES = ["white_british"] * 6 + ["unknown", "asian_indian", "black_african", "white_irish", "prefer_not_to_say"]
ORIENTATIONS = ["heterosexual"] * 8 + ["gay_lesbian", "bisexual", "other", "unknown"]
GENDERS = ["same_as_sex"] * 10 + ["trans_woman", "non_binary", "unknown"]


def _people(n: int, *, seed: int, area=None, hub=None):
    """People with random characteristics and one to three referrals each, some outside the
    period; returns the expected counts over people referred in the period."""
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    hub = hub or f.hub()
    expected = dict.fromkeys(("people", *CODES), 0)
    for _ in range(n):
        dob = rng.choice([None, date(2008, rng.randrange(1, 13), 15), date(2009, 5, 20), date(1980, 1, 1)])
        someone = f.person(
            ethnicity=rng.choice(ETHNICITIES),
            sexual_orientation=rng.choice(ORIENTATIONS),
            gender_identity=rng.choice(GENDERS),
            disability=rng.choice(["yes", "no", "unknown"]),
            sex=rng.choice(["female"] * 4 + ["male", "unknown"]),
            date_of_birth=dob,
            age_estimate=rng.choice([None, 16, 17, 30]) if dob is None else None,
        )
        received = [
            f.at(date(2025, 3, 1) + f.days(rng.randrange(150)), rng.randrange(0, 24))
            for _ in range(rng.randrange(1, 4))
        ]
        for when in received:
            f.referral(hub=hub, person=someone, received=when, area=area)
        inside = [r for r in received if PERIOD.start <= r < PERIOD.end]
        if inside:
            expected["people"] += 1
            for code in CODES:
                expected[code] += _has(someone, code, inside)
    return expected


def test_it_counts_people_with_each_characteristic(db):
    expected = _people(80, seed=4)
    built = build_report(Scope(PERIOD), suppress=False).sections["protected"]
    assert built["people"].value == expected["people"]
    got = {r["code"]: r for r in built["characteristics"]}
    assert {code: got[code]["people"].value for code in CODES} == {code: expected[code] for code in CODES}
    for code in CODES:
        assert got[code]["share"] == round(expected[code] / expected["people"], 3)


def test_it_takes_the_age_on_the_local_day_the_referral_was_received(db):
    """Born 1 June 2009: 16 from 1 June 2025 (local time). A referral at 00:30 on 1 June in
    London is still 31 May in UTC; one on 31 May is at 15."""
    hub = f.hub()
    on_birthday = f.person(date_of_birth=date(2009, 6, 1))
    f.referral(hub=hub, person=on_birthday, received=datetime(2025, 5, 31, 23, 30, tzinfo=UTC))
    day_before = f.person(date_of_birth=date(2009, 6, 1))
    f.referral(hub=hub, person=day_before, received=datetime(2025, 5, 31, 22, 30, tzinfo=UTC))
    eighteen = f.person(date_of_birth=date(2007, 4, 2))  # 17 on 1 April, 18 from 2 April
    f.referral(hub=hub, person=eighteen, received=f.at(date(2025, 4, 1)))
    f.referral(hub=hub, person=eighteen, received=f.at(date(2025, 6, 1)))
    estimated = f.person(age_estimate=17)
    f.referral(hub=hub, person=estimated, received=f.at(date(2025, 5, 1)))
    built = build_report(Scope(PERIOD), suppress=False).sections["protected"]
    aged = next(r for r in built["characteristics"] if r["code"] == "aged_16_17")
    assert aged["people"].value == 3  # on the birthday, at 17 on the first referral, estimated at 17
    assert built["people"].value == 4


def test_it_counts_a_merged_person_once(db):
    hub = f.hub()
    kept = f.person(disability="yes")
    merged = f.person(disability="yes", merged_into=kept)
    f.referral(hub=hub, person=kept, received=f.at(date(2025, 5, 1)))
    f.referral(hub=hub, person=merged, received=f.at(date(2025, 5, 2)))
    built = build_report(Scope(PERIOD), suppress=False).sections["protected"]
    assert built["people"].value == 1
    assert next(r for r in built["characteristics"] if r["code"] == "disabled")["people"].value == 1


def test_it_limits_the_people_to_the_area(db):
    mine, other = f.area(), f.area()
    hub = f.hub()
    expected = _people(30, seed=6, area=mine, hub=hub)
    _people(30, seed=7, area=other, hub=hub)
    built = build_report(Scope.for_areas(PERIOD, [mine.pk]), suppress=False).sections["protected"]
    assert built["people"].value == expected["people"]
    got = {r["code"]: r["people"].value for r in built["characteristics"]}
    assert got == {code: expected[code] for code in CODES}


def _wilson(k: int, n: int) -> tuple[float, float]:
    z = 1.959964
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def _crowd(hub, n: int, **characteristics) -> None:
    for _ in range(n):
        f.referral(hub=hub, person=f.person(**characteristics), received=f.at(date(2025, 5, 1)))


def test_it_says_how_the_area_stands_against_the_national_profile_in_words(db):
    hub = f.hub()
    # 200 people: 10 minoritised (5%, national 14.1%), 40 LGBT+ (20%, national 1.6%), 20 disabled (10%,
    # national 10.1%), none male (national 6.4%), no age recorded.
    _crowd(hub, 10, ethnicity="asian_indian", sex="female")
    _crowd(hub, 40, sexual_orientation="bisexual", sex="female")
    _crowd(hub, 20, disability="yes", sex="female")
    _crowd(hub, 130, sex="female")
    built = build_report(Scope(PERIOD)).sections["protected"]
    rows = {r["code"]: r for r in built["characteristics"]}
    national = {x.code: float(x.value) for x in NationalFigure.objects.all()}
    for code, k in (("minoritised", 10), ("lgbt", 40), ("disabled", 20)):
        low, high = _wilson(k, 200)
        nat = national[f"{code}_rate"] / 100
        want = "below" if nat > high else "above" if nat < low else "in_line"
        assert rows[code]["comparison"] == want
        assert rows[code]["national_share"] == round(national[f"{code}_rate"] / 100, 4)
        assert rows[code]["difference_points"] == round(k / 200 * 100 - national[f"{code}_rate"], 1)
    assert [rows[c]["comparison"] for c in ("minoritised", "lgbt", "disabled")] == ["below", "above", "in_line"]
    assert protected.words(rows["minoritised"]).startswith("Below the national profile (9.1 percentage points")
    assert protected.words(rows["lgbt"]).startswith("Above the national profile")
    assert protected.words(rows["disabled"]).startswith("In line with the national profile")
    # None male: zero is shown, and 6.4% nationally is well above the area's interval.
    assert rows["male"]["people"].value == 0 and rows["male"]["comparison"] == "below"
    page = report_bytes(build_report(Scope(PERIOD)), "html").decode()
    assert "Below the national profile" in page and "Above the national profile" in page


def test_it_hides_a_small_group_and_a_small_rest(db):
    hub = f.hub()
    _crowd(hub, 3, disability="yes", sex="female")  # 3 disabled: hidden
    _crowd(hub, 45, ethnicity="black_african", sex="female")  # all but 3 minoritised: hidden too
    built = build_report(Scope(PERIOD)).sections["protected"]
    rows = {r["code"]: r for r in built["characteristics"]}
    assert built["people"].value == 48
    for code in ("disabled", "minoritised"):
        assert rows[code]["people"].suppressed and rows[code]["people"].value is None
        assert (
            rows[code]["share"] is None and rows[code]["comparison"] is None and rows[code]["difference_points"] is None
        )
        assert protected.words(rows[code]) == "Not compared: too few people to show a share"
    assert rows["lgbt"]["people"].value == 0
    data = to_json(build_report(Scope(PERIOD)))["protected"]
    assert next(r for r in data["characteristics"] if r["code"] == "disabled")["people"] == "<10"


def test_it_hides_men_where_the_demand_table_hides_them(db):
    """Men are in the demand section's table by age and sex too: hidden there, hidden here."""
    hub = f.hub()
    _crowd(hub, 12, sex="male", date_of_birth=date(1980, 1, 1))
    _crowd(hub, 40, sex="female", date_of_birth=date(1980, 1, 1))
    _crowd(hub, 2, sex="unknown", date_of_birth=date(1980, 1, 1))
    report = build_report(Scope(PERIOD))
    # 2 of unknown sex are hidden there, and the 12 men with them (else 54 - 40 - 12 gives the 2 away).
    assert report.demand["by_sex"]["male"].suppressed and not report.demand["by_sex"]["female"].suppressed
    male = next(r for r in report.sections["protected"]["characteristics"] if r["code"] == "male")
    assert male["people"].suppressed and male["share"] is None and male["comparison"] is None
    assert report.sections["protected"]["people"].value == 54  # 12 men of 54 would be shown on their own


def test_it_says_when_no_national_figure_is_set(db):
    NationalFigure.objects.filter(code="lgbt_rate").delete()
    _crowd(f.hub(), 20, sex="female")
    row = next(r for r in build_report(Scope(PERIOD)).sections["protected"]["characteristics"] if r["code"] == "lgbt")
    assert row["national_share"] is None and protected.words(row) == "No national figure is set"


def test_it_puts_the_profile_in_every_output(db):
    expected = _people(60, seed=2)
    report = build_report(Scope(PERIOD))
    data = to_json(report)["protected"]
    assert data["people"] == expected["people"]
    keys = {"code", "people", "share", "national_share", "national_label", "national_period", "national_source"}
    assert all(set(row) == keys | {"difference_points", "comparison"} for row in data["characteristics"])
    assert [row["code"] for row in data["characteristics"]] == list(CODES)
    rows = [r for r in report_rows(report) if r[0] == "protected"]
    assert rows[0][:4] == ("protected", "people", "", expected["people"])
    national = {r[2]: r[4] for r in rows if r[1] == "national_share"}
    assert national["male"] == 0.064
    context = dashboard_context(report)["sections"]["protected"]
    assert pickle.loads(pickle.dumps(context)) == context  # noqa: S301 - our own bytes
    page = report_bytes(report, "html").decode()
    assert 'id="protected"' in page and "National share (MARAC cases)" in page and "Zephyrine" not in page
    doc = Document(io.BytesIO(report_bytes(report, "docx")))
    texts = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Black, Asian or minoritised" in texts and "Against the national profile" in texts


@pytest.mark.parametrize("suppress", [True, False])
def test_it_runs_two_queries_whatever_the_number_of_people(db, django_assert_num_queries, suppress):
    hub = f.hub()
    for n in (5, 60):
        _people(n, seed=n, hub=hub)
        report = build_report(Scope(PERIOD), suppress=suppress)
        with django_assert_num_queries(2):
            protected.SECTION.build(report, _Rules(suppress))
