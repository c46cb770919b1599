"""A demo database tells a newcomer what they are looking at, on the home page."""

from safepath.core.roles import Role
from safepath.demo.models import LoadedScenario
from safepath.demo.scenarios import DORSET
from safepath.testing import make_member


def test_it_introduces_the_scenario_and_tells_a_commissioner_where_to_look(client, login, db):
    LoadedScenario.objects.create(name="dorset")
    login(make_member(Role.COMMISSIONER))
    page = client.get("/").content.decode()
    assert DORSET.title in page and "Where to look" in page
    assert DORSET.commissioner_guide[0].split(":")[0] in page


def test_it_gives_other_roles_the_introduction_only(client, login, db):
    LoadedScenario.objects.create(name="dorset")
    login(make_member(Role.CASEWORKER))
    page = client.get("/").content.decode()
    assert "About this demonstration" in page and "Where to look" not in page


def test_it_says_nothing_on_a_real_installation(client, login, db):
    login(make_member(Role.COMMISSIONER))
    assert "About this demonstration" not in client.get("/").content.decode()
