"""A re-referral's previous case: full history at the same provider, only the outline at another."""

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from safepath.cases.services import case_change_status
from safepath.cases.services_reviews import review_record
from safepath.cases.tests.url_table_reviews import activate, checklist, open_case
from safepath.core.models import AuditEvent
from safepath.core.once import new_token
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def hub():
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def first_provider():
    return OrganisationFactory(type=OrganisationType.PROVIDER)


@pytest.fixture
def first_worker(member, first_provider):
    return member(Role.CASEWORKER, first_provider, full_name="Ceri Blackwood")


@pytest.fixture
def closed_case(hub, first_provider, first_worker):
    with time_machine.travel(datetime(2026, 1, 12, 10, tzinfo=LONDON)):
        case = activate(open_case(hub, first_provider, "idva", "Manon", "Eynon"), first_worker)
        review_record(request=None, case=case, version=case.version, token=new_token(), assessment=checklist(3),
                      note="Moved in with her sister; risk reduced.")
    with time_machine.travel(datetime(2026, 5, 20, 10, tzinfo=LONDON)):
        case.refresh_from_db()
        case_change_status(request=None, case=case, to_status="closed", version=case.version, reason_code="risk_reduced",
                           note="Closing: goals met.")
    return case


def rerefer(hub, provider, closed_case):
    with time_machine.travel(datetime(2026, 9, 1, 10, tzinfo=LONDON)):
        return open_case(hub, provider, "idva", "Manon", "Eynon", person=closed_case.person)


def text(response):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_it_shows_the_whole_previous_case_at_the_same_provider(login, hub, first_provider, first_worker, closed_case):
    case = rerefer(hub, first_provider, closed_case)
    assert case.is_rereferral and case.previous_case == closed_case
    response = login(first_worker).get(f"/cases/{case.pk}/previous/")
    page = text(response)
    assert response.status_code == 200
    assert "Ceri Blackwood" in page and closed_case.reference in page
    assert "Risk reduced" in page and "12 January 2026" in page and "20 May 2026" in page
    assert "Closing: goals met." in page and "Moved in with her sister; risk reduced." in page
    assert "with another provider" not in page
    assert AuditEvent.objects.filter(
        action="view", object_type="cases.case", object_id=str(closed_case.pk), reason=f"previous case of case {case.pk}"
    ).exists()


def test_it_shows_only_dates_pathway_and_closure_from_another_provider(login, member, hub, closed_case):
    second_provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    case = rerefer(hub, second_provider, closed_case)
    assert case.is_rereferral and case.previous_case == closed_case
    response = login(member(Role.CASEWORKER, second_provider)).get(f"/cases/{case.pk}/previous/")
    page = text(response)
    assert response.status_code == 200
    assert "The previous case was with another provider, so only its dates, pathway and closure reason are shown." in page
    assert "IDVA (high risk)" in page and "Risk reduced" in page and "12 January 2026" in page and "20 May 2026" in page
    assert "Ceri Blackwood" not in page and closed_case.reference not in page
    assert "Closing: goals met." not in page and "Moved in with her sister" not in page
    assert AuditEvent.objects.filter(action="view", object_type="cases.case", object_id=str(closed_case.pk)).exists()


def test_it_links_the_previous_case_from_the_reviews_page(login, hub, first_provider, first_worker, closed_case):
    case = rerefer(hub, first_provider, closed_case)
    page = login(first_worker).get(f"/cases/{case.pk}/reviews/").content.decode()
    assert f'href="/cases/{case.pk}/previous/"' in page


def test_it_says_when_there_is_no_previous_case(login, hub, first_provider, first_worker):
    case = open_case(hub, first_provider, "idva", "Anwen", "Price")
    page = login(first_worker).get(f"/cases/{case.pk}/previous/").content.decode()
    assert 'data-testid="no-previous"' in page


def test_it_keeps_the_previous_case_from_workers_without_the_new_case(login, member, hub, first_provider, closed_case):
    second_provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    case = rerefer(hub, second_provider, closed_case)
    outsider = member(Role.CASEWORKER, OrganisationFactory(type=OrganisationType.PROVIDER))
    assert login(outsider).get(f"/cases/{case.pk}/previous/").status_code == 404
