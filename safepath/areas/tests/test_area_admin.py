from safepath.areas.models import Area
from safepath.areas.selectors import area_for_postcode
from safepath.core.models import AuditEvent
from safepath.testing import AreaFactory

VALID = {
    "name": "Hoo Peninsula",
    "rural_urban_class": "rural_village_dispersed",
    "adult_women": "7300",
    "adult_men": "7100",
    "postcode_districts": "me3, me2",
    "is_active": "on",
}


def test_it_creates_an_area_and_normalises_districts(db, admin_user, login):
    response = login(admin_user).post("/admin/areas/new/", VALID)
    assert response.status_code == 302
    area = Area.objects.get(name="Hoo Peninsula")
    assert area.postcode_districts == "ME2 ME3"
    assert area.adult_population == 14_400
    assert AuditEvent.objects.filter(action="create", object_type="areas.area", object_id=str(area.pk)).exists()


def test_it_explains_bad_postcode_districts_and_keeps_the_other_answers(db, admin_user, login):
    response = login(admin_user).post("/admin/areas/new/", VALID | {"postcode_districts": "ME3 NOTAPOSTCODE", "adult_men": "-4"})
    page = response.content.decode()
    assert "These are not postcode districts: NOTAPOSTCODE" in page
    assert "Ensure this value is greater than or equal to 0." in page
    assert 'value="Hoo Peninsula"' in page
    assert not Area.objects.exists()


def test_it_refuses_an_area_inside_itself(db, admin_user, login):
    parent = AreaFactory(name="Medway")
    child = AreaFactory(name="Chatham", parent=parent)
    response = login(admin_user).post(f"/admin/areas/{parent.pk}/edit/", VALID | {"name": "Medway", "parent": child.pk})
    assert "An area cannot be part of itself." in response.content.decode()
    parent.refresh_from_db()
    assert parent.parent is None


def test_it_finds_the_area_for_a_postcode_with_any_spacing(db):
    area = AreaFactory(postcode_districts="ME4 ME5")
    AreaFactory(postcode_districts="ME14")
    assert area_for_postcode("me4 4ab") == area
    assert area_for_postcode("ME44AB") == area
    assert area_for_postcode("ME1 4AB") is None
    assert area_for_postcode("") is None


def test_it_places_many_postcodes_from_one_read_as_it_places_one(db, django_assert_num_queries):
    from safepath.areas.selectors import areas_by_district

    first = AreaFactory(name="A first", postcode_districts="ME4 ME5")
    AreaFactory(name="B second", postcode_districts="me5 ME14")  # claims ME5 too: the first by name wins
    AreaFactory(name="C retired", postcode_districts="ME7", is_active=False)
    with django_assert_num_queries(1):
        index = areas_by_district()
    for postcode in ("ME4 4AB", "ME5 1AA", "ME14 2BB", "ME7 1AA", "ME1 4AB"):
        outward = postcode.replace(" ", "")[:-3]
        assert index.get(outward) == area_for_postcode(postcode)
    assert index["ME5"] == first
