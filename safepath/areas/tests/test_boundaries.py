"""Area boundaries: geometry validation, `safepath import_boundaries`, and the shipped demo file."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from safepath.areas.boundaries import DEMO_BOUNDARIES, MAX_POINTS, validate_boundary
from safepath.areas.models import Area
from safepath.core.models import AuditEvent
from safepath.testing import AreaFactory

SQUARE = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
HOLE = [[2, 2], [2, 4], [4, 4], [4, 2], [2, 2]]
# British National Grid eastings and northings are planar coordinates too.
BNG = [[575000, 168000], [580000, 168000], [580000, 172000], [575000, 172000], [575000, 168000]]


def _polygon(*rings):
    return {"type": "Polygon", "coordinates": [list(r) for r in rings]}


def _messages(value) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_boundary(value)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    "value",
    [
        None,
        _polygon(SQUARE),
        _polygon(SQUARE, HOLE),
        _polygon(BNG),
        {"type": "MultiPolygon", "coordinates": [[SQUARE], [BNG]]},
        _polygon([[0, 0, 5], [1, 0, 5], [1, 1, 5], [0, 0, 5]]),  # a third (height) value is ignored
    ],
)
def test_it_accepts_polygons_and_multipolygons_in_any_planar_coordinates(value):
    validate_boundary(value)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (
            {"type": "Point", "coordinates": [0, 0]},
            "not a polygon: it must be a GeoJSON Polygon or MultiPolygon, not Point",
        ),
        ({"type": "LineString", "coordinates": SQUARE}, "not LineString"),
        ([1, 2], "not a polygon"),
        ({"type": "Polygon", "coordinates": []}, "has no coordinates"),
        (_polygon([[0, 0], [1, 0], [0, 0]]), "ring 1 of polygon 1 needs at least 4 points"),
        (_polygon([[0, 0], [1, 0], ["a", 1], [0, 0]]), "not a pair of numbers"),
        (_polygon([[0, 0], [1, 0], [True, 1], [0, 0]]), "not a pair of numbers"),
        (_polygon([[0, 0], [1, 0], [1, 1], [0, 1]]), "ring 1 of polygon 1 is not closed"),
        (
            {"type": "MultiPolygon", "coordinates": [[SQUARE], [[[0, 0], [1, 0], [1, 1], [0, 2]]]]},
            "polygon 2 is not closed",
        ),
        ({"type": "MultiPolygon", "coordinates": [[SQUARE], []]}, "polygon 2 has no rings"),
    ],
)
def test_it_refuses_what_is_not_a_closed_polygon_in_plain_words(value, words):
    assert words in _messages(value)


def test_it_caps_the_number_of_points():
    ring = [[i, i * i % 7] for i in range(MAX_POINTS)] + [[0, 0]]
    assert "too many points (5,001; at most 5,000)" in _messages(_polygon(ring))
    validate_boundary(_polygon(ring[: MAX_POINTS - 1] + [[0, 0]]))


def test_the_model_field_validates(db):
    area = AreaFactory(boundary={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]})
    with pytest.raises(ValidationError) as caught:
        area.full_clean()
    assert "boundary" in caught.value.message_dict


# --- the command -------------------------------------------------------------------------


def _feature(properties, geometry):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _file(tmp_path: Path, features, name="areas.geojson") -> str:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return str(path)


def _run(*args):
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("import_boundaries", *args, stdout=out, stderr=err)
    except SystemExit as stop:
        code = stop.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def areas(db):
    return {
        "medway": AreaFactory(name="Medway", code="E06000035"),
        "chatham": AreaFactory(name="Chatham"),
        "hoo": AreaFactory(name="Hoo Peninsula"),
    }


def test_it_matches_features_by_ons_code_then_by_name(tmp_path, areas):
    path = _file(
        tmp_path,
        [
            _feature({"LAD24CD": "E06000035", "LAD24NM": "Medway Towns"}, _polygon(BNG)),  # ONS-style keys
            _feature({"name": "chatham"}, _polygon(SQUARE)),  # name, ignoring case
            _feature({"code": "E09000001", "name": "City of London"}, _polygon(SQUARE)),
        ],
    )
    code, out, err = _run(path)
    assert code == 0
    assert out.strip() == "loaded 2, unmatched 1"
    assert "E09000001 City of London" in err
    assert Area.objects.get(name="Medway").boundary == _polygon(BNG)
    assert Area.objects.get(name="Chatham").boundary == _polygon(SQUARE)
    assert Area.objects.get(name="Hoo Peninsula").boundary is None
    audited = AuditEvent.objects.filter(object_type="areas.area", action=AuditEvent.Action.UPDATE)
    assert sorted(audited.values_list("object_id", flat=True)) == sorted(
        [str(areas["medway"].pk), str(areas["chatham"].pk)]
    )


def test_it_saves_nothing_when_one_geometry_is_invalid(tmp_path, areas):
    path = _file(
        tmp_path,
        [
            _feature({"name": "Chatham"}, _polygon(SQUARE)),
            _feature({"name": "Hoo Peninsula"}, _polygon([[0, 0], [1, 0], [1, 1], [0, 1]])),
        ],
    )
    code, out, err = _run(path)
    assert code == 2
    assert out.strip() == "loaded 0, unmatched 0"
    assert "Hoo Peninsula: The boundary's ring 1 of polygon 1 is not closed" in err
    assert "Nothing was loaded." in err
    assert not Area.objects.filter(boundary__isnull=False).exists()
    assert not AuditEvent.objects.filter(object_type="areas.area").exists()


def test_it_saves_nothing_when_two_features_are_for_one_area(tmp_path, areas):
    path = _file(
        tmp_path,
        [_feature({"code": "E06000035"}, _polygon(SQUARE)), _feature({"name": "Medway"}, _polygon(BNG))],
    )
    code, _, err = _run(path)
    assert code == 2
    assert "Two features are for the same area, Medway" in err
    assert not Area.objects.filter(boundary__isnull=False).exists()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("not json", "The file is not JSON"),
        ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": [1]}', "must be a GeoJSON Feature"),
    ],
)
def test_it_refuses_a_file_that_is_not_a_feature_collection(tmp_path, areas, text, words):
    path = tmp_path / "bad.geojson"
    path.write_text(text, encoding="utf-8")
    code, _, err = _run(str(path))
    assert code == 2 and words in err


def test_it_says_when_the_file_cannot_be_read(tmp_path, db):
    code, _, err = _run(str(tmp_path / "missing.geojson"))
    assert code == 2 and "missing.geojson: No such file or directory Nothing was loaded." in err


def test_it_reports_a_feature_with_no_code_or_name(tmp_path, areas):
    _, out, err = _run(_file(tmp_path, [_feature({}, _polygon(SQUARE))]))
    assert out.strip() == "loaded 0, unmatched 1" and "feature 1 (no code or name)" in err


# --- the shipped demo boundaries ----------------------------------------------------------


def test_the_demo_file_says_it_is_schematic_and_every_shape_is_valid():
    data = json.loads(DEMO_BOUNDARIES.read_text(encoding="utf-8"))
    assert data["description"].startswith("SCHEMATIC, NOT ORDNANCE SURVEY DATA")
    for feature in data["features"]:
        validate_boundary(feature["geometry"])


def test_every_demo_locality_has_a_shipped_boundary():
    from safepath.demo.scenarios import SCENARIOS

    names = {f["properties"]["name"] for f in json.loads(DEMO_BOUNDARIES.read_text(encoding="utf-8"))["features"]}
    localities = {a.name for s in SCENARIOS.values() for a in s.areas if a.parent}
    assert localities and localities <= names


def test_the_demo_option_loads_them(areas):
    code, out, _ = _run("--demo")
    assert code == 0 and out.startswith("loaded 2,")
    assert Area.objects.get(name="Hoo Peninsula").boundary["type"] == "Polygon"
