"""`safepath report` against INTERFACES.md: keys, types, suppression strings, errors."""

from __future__ import annotations

import json
from datetime import date

import openpyxl
import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from safepath.referrals.choices import RiskLevel, Source
from safepath.reporting.tests import factories as f

ARGS = ["--from", "2025-04-01", "--to", "2025-06-30"]


def _run(*args: str, capsys) -> dict:
    call_command("report", *args)
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def data(db):
    hub = f.hub()
    county = f.area(name="Northshire")
    town = f.area(parent=county, name="Eastwick")
    other = f.area(name="Westmoor")
    people = [f.person() for _ in range(40)]
    # 25 high, 12 medium, 3 standard in the town; 30 police, 10 self; 20 MARAC cases, 4 repeats.
    levels = ["high"] * 25 + ["medium"] * 12 + ["standard"] * 3
    for i, level in enumerate(levels):
        f.referral(
            hub=hub,
            person=people[i],
            received=f.at(date(2025, 4, 2) + f.days(i)),
            area=town,
            risk_level=level,
            source="police" if i < 30 else "self",
            is_marac_case=i < 20,
            is_repeat=i < 4,
        )
    for i in range(5):
        f.referral(hub=hub, person=people[i], received=f.at(date(2025, 5, 2)), area=other)
    return {"county": county, "town": town, "other": other}


def test_it_prints_the_interface_keys_and_types(data, capsys):
    out = _run(*ARGS, capsys=capsys)
    assert out["period"] == {"from": "2025-04-01", "to": "2025-06-30"}
    assert out["area"] is None
    assert out["suppressed"] is True
    for key in ("referrals", "marac", "idva", "waiting", "outcomes"):
        assert isinstance(out[key], dict)
    referrals = out["referrals"]
    assert set(referrals) >= {"total", "by_risk", "by_source", "unique_people", "re_referrals_12m"}
    assert set(referrals["by_risk"]) == set(RiskLevel.values)
    assert set(referrals["by_source"]) == set(Source.values)
    assert set(out["marac"]) >= {"cases", "repeats", "repeat_rate"}
    assert set(out["idva"]) >= {"referrals", "engaged", "engagement_rate"}
    assert "median_days_to_first_contact" in out["waiting"]
    assert referrals["total"] == 45 and isinstance(referrals["total"], int)
    assert referrals["unique_people"] == 40
    assert referrals["re_referrals_12m"] == "<10"  # 5 people referred twice


def test_it_hides_small_counts_and_their_rates(data, capsys):
    out = _run(*ARGS, capsys=capsys)
    assert out["referrals"]["by_risk"]["high"] == 25
    assert out["referrals"]["by_risk"]["standard"] == "<10"  # 3 + 5 = 8
    # Secondary suppression: with the total shown, medium (12) is hidden too, or standard
    # would be the total less the others.
    assert out["referrals"]["by_risk"]["medium"] == "<10"
    assert out["referrals"]["total"] == 45
    assert out["referrals"]["by_source"]["self"] == 10
    assert out["marac"] == {"cases": 20, "repeats": "<10", "repeat_rate": None}
    assert out["referrals"]["re_referral_rate"] is None


def test_it_gives_rates_as_fractions_to_three_places(data, capsys):
    out = _run(*ARGS, "--no-suppress", capsys=capsys)
    assert out["suppressed"] is False
    assert out["marac"] == {"cases": 20, "repeats": 4, "repeat_rate": 0.2}
    assert out["referrals"]["by_risk"]["standard"] == 8
    assert out["referrals"]["re_referral_rate"] == round(5 / 45, 3) == 0.111
    for value in (out["marac"]["repeat_rate"], out["referrals"]["re_referral_rate"]):
        assert 0 <= value <= 1 and round(value, 3) == value


def test_it_uses_the_configured_threshold(data, capsys, settings):
    settings.SAFEPATH_SUPPRESSION_THRESHOLD = 5
    out = _run(*ARGS, capsys=capsys)
    assert out["marac"]["repeats"] == "<5"
    assert out["referrals"]["by_risk"]["standard"] == 8


def test_it_limits_to_an_area_and_the_areas_inside_it(data, capsys):
    out = _run(*ARGS, "--area", "northshire", capsys=capsys)
    assert out["area"] == "Northshire"
    assert out["referrals"]["total"] == 40
    assert out["referrals"]["by_risk"]["standard"] == "<10"  # 3
    out = _run(*ARGS, "--area", "Westmoor", "--no-suppress", capsys=capsys)
    assert out["referrals"]["total"] == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2025-13-01", "--to", "2025-06-30"], "--from must be a date"),
        (["--from", "2025-04-01", "--to", "30/06/2025"], "--to must be a date"),
        (["--from", "2025-07-01", "--to", "2025-06-30"], "--from must be on or before --to"),
        ([*ARGS, "--area", "Atlantis"], "No area is called 'Atlantis'"),
    ],
)
def test_it_refuses_bad_arguments(data, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", *args)


def test_it_exits_1_on_a_bad_date(data, capsys):
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["safepath", "report", "--from", "yesterday", "--to", "2025-06-30"]).execute()
    assert exit_.value.code == 1
    assert "--from must be a date" in capsys.readouterr().err


def test_it_writes_csv_xlsx_and_html(data, tmp_path, capsys):
    csv_file, xlsx_file, html_file = tmp_path / "r.csv", tmp_path / "r.xlsx", tmp_path / "r.html"
    call_command("report", *ARGS, "--format", "csv", "--output", str(csv_file))
    lines = csv_file.read_text().splitlines()
    assert lines[0] == "section,figure,breakdown,value,rate,definition"
    assert any(line.startswith("referrals,by_risk,standard,<10,") for line in lines)
    call_command("report", *ARGS, "--format", "xlsx", "--output", str(xlsx_file))
    sheet = openpyxl.load_workbook(xlsx_file).active
    assert [c.value for c in sheet[1]][:4] == ["section", "figure", "breakdown", "value"]
    call_command("report", *ARGS, "--format", "html", "--output", str(html_file))
    html = html_file.read_text()
    assert "<svg" in html and "Performance report" in html and "Quixotic" not in html
    assert capsys.readouterr().out == ""


def test_it_writes_json_to_standard_output_by_default(data, capsys):
    call_command("report", *ARGS)
    assert json.loads(capsys.readouterr().out)["referrals"]["total"] == 45


def test_it_gives_every_definition(data, capsys):
    out = _run(*ARGS, capsys=capsys)
    assert all(isinstance(v, str) and v for v in out["definitions"].values())
    assert "marac.repeat_rate" in out["definitions"]


def test_it_writes_a_committee_paper(data, tmp_path):
    import docx

    out = tmp_path / "paper.docx"
    call_command("report", *ARGS, "--area", "Northshire", "--format", "docx", "--output", str(out))
    paper = docx.Document(str(out))
    headings = [p.text for p in paper.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Summary",
        "Activity",
        "One-stop-shop and drop-in contacts",
        "Outcomes",
        "Outcomes by pathway and provider",
        "Demand and reach",
        "Protected characteristics against the MARAC national profile",
        "Coverage",
        "Map of referrals per 1,000 adults",
        "Capacity",
        "Performance against the contract",
        "How the money flows",
        "Definitions and data caveats",
        "Glossary",
    ]
    glossary = [row.cells[0].text for row in paper.tables[-1].rows]
    assert "MARAC" in glossary and "IDVA (Idva)" in glossary
    assert len(paper.inline_shapes) >= 3  # charts
    text = "\n".join(c.text for t in paper.tables for r in t.rows for c in r.cells)
    assert "Quixotic" not in text and "<10" in text
