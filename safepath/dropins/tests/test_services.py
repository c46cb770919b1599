"""Recording drop-in visits and keeping venues: the rules, the audit trail, double submission."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safepath.cases.models import Case
from safepath.core.models import AuditEvent, VocabularyTerm
from safepath.core.roles import OrganisationType, Role
from safepath.dropins import services
from safepath.dropins.models import OUTCOMES, Visit
from safepath.dropins.services import VisitInput
from safepath.dropins.tests import factories as d
from safepath.reporting.tests import factories as f
from safepath.testing import AreaFactory, OrganisationFactory, make_member


def token() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def world(db):
    provider = d.provider()
    other = d.provider()
    area = AreaFactory()
    worker = make_member(Role.CASEWORKER, provider)
    own_case = f.case(provider=provider, referral=None, person=f.person(), code="outreach", opened=timezone.now())
    other_case = f.case(provider=other, referral=None, person=f.person(), code="outreach", opened=timezone.now())
    return {
        "provider": provider,
        "other": other,
        "venue": d.venue(provider, area, "Chatham One Stop Shop"),
        "other_venue": d.venue(other, area, "Elsewhere Drop-in"),
        "worker": worker,
        "own_case": own_case,
        "other_case": other_case,
        "area": area,
    }


def _record(world, token_value: str | None = None, cases=None, **changes):
    data = {
        "venue_id": world["venue"].pk,
        "on": timezone.localdate(),
        "visitor": "new",
        "outcomes": ["information_advice", "referral_to_hub"],
        "case_reference": "",
    } | changes
    return services.visit_record(
        request=None,
        provider=world["provider"],
        token=token_value or token(),
        data=VisitInput(**data),
        cases=cases if cases is not None else Case.objects.all(),
        by=world["worker"],
    )


def test_it_records_a_visit_without_a_name_and_audits_it(world):
    visit = _record(world)
    assert (visit.provider, visit.venue, visit.visitor) == (world["provider"], world["venue"], "new")
    assert visit.outcomes == ["information_advice", "referral_to_hub"]
    assert visit.case is None and visit.recorded_by == world["worker"]
    assert AuditEvent.objects.filter(action="create", object_type="dropins.visit", object_id=str(visit.pk)).count() == 1


def test_a_second_submission_of_the_same_form_saves_nothing_more(world):
    same = token()
    first = _record(world, same)
    again = _record(world, same, visitor="returning")
    assert again.pk == first.pk
    assert Visit.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="dropins.visit").count() == 1


def test_it_refuses_a_missing_or_forged_token(world):
    with pytest.raises(ValidationError):
        _record(world, "not-a-token")
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"venue_id": None}, "venue"),
        ({"on": None}, "on"),
        ({"on": date.today() + timedelta(days=2)}, "on"),
        ({"visitor": "maybe"}, "visitor"),
        ({"outcomes": []}, "outcomes"),
        ({"outcomes": ["tea_and_biscuits"]}, "outcomes"),
    ],
)
def test_it_refuses_bad_input_with_a_message_by_the_field(world, changes, field):
    with pytest.raises(ValidationError) as caught:
        _record(world, **changes)
    assert field in caught.value.error_dict
    assert not Visit.objects.exists()


def test_it_refuses_another_providers_venue_and_a_retired_one(world):
    with pytest.raises(ValidationError) as caught:
        _record(world, venue_id=world["other_venue"].pk)
    assert "venue" in caught.value.error_dict
    services.venue_set_active(request=None, venue=world["venue"], active=False)
    with pytest.raises(ValidationError):
        _record(world)
    assert not Visit.objects.exists()


def test_it_refuses_a_retired_outcome(world):
    VocabularyTerm.objects.filter(vocabulary=OUTCOMES, code="signposted").update(is_active=False)
    with pytest.raises(ValidationError):
        _record(world, outcomes=["signposted"])


def test_it_links_a_visit_to_the_providers_own_case_and_audits_the_case(world):
    visit = _record(world, case_reference=world["own_case"].reference.lower(), visitor="returning")
    assert visit.case == world["own_case"]
    assert AuditEvent.objects.filter(
        action="update", object_type="cases.case", object_id=str(world["own_case"].pk)
    ).exists()


def test_another_providers_case_reads_as_unknown(world):
    """The same message as a reference that does not exist: nothing tells the worker it does."""
    with pytest.raises(ValidationError) as other:
        _record(world, case_reference=world["other_case"].reference)
    with pytest.raises(ValidationError) as unknown:
        _record(world, case_reference="C99999999")
    assert (
        other.value.error_dict["case_reference"][0].messages == unknown.value.error_dict["case_reference"][0].messages
    )
    assert not Visit.objects.exists()


def test_a_case_outside_the_workers_scope_is_refused_even_at_their_provider(world):
    with pytest.raises(ValidationError):
        _record(world, case_reference=world["own_case"].reference, cases=Case.objects.none())


def test_venues_have_unique_names_per_provider_and_belong_to_a_provider(world):
    with pytest.raises(ValidationError) as caught:
        services.venue_create(
            request=None, provider=world["provider"], name="chatham  one stop shop", area=world["area"]
        )
    assert "name" in caught.value.error_dict
    # Another provider may use the same name.
    services.venue_create(request=None, provider=world["other"], name="Chatham One Stop Shop", area=world["area"])
    with pytest.raises(ValidationError):
        services.venue_create(
            request=None,
            provider=OrganisationFactory(type=OrganisationType.HUB),
            name="Hub drop-in",
            area=world["area"],
        )


def test_retiring_and_reopening_a_venue_is_audited_once_each(world):
    services.venue_set_active(request=None, venue=world["venue"], active=False)
    services.venue_set_active(request=None, venue=world["venue"], active=False)
    services.venue_set_active(request=None, venue=world["venue"], active=True)
    reasons = list(
        AuditEvent.objects.filter(object_type="dropins.venue", action="update")
        .order_by("pk")
        .values_list("reason", flat=True)
    )
    assert reasons == ["retired", "opened"]
