"""The case life cycle end to end through the core services (detailed rules: test_services_*)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from safepath.cases.choices import CaseStatus, ReReferralPriority
from safepath.cases.models import Case
from safepath.cases.selectors import settings_for
from safepath.cases.services import (
    CaseChanged,
    case_allocate,
    case_change_status,
    case_contact_recorded,
    case_open_from_work_item,
)
from safepath.core.roles import OrganisationType, Role
from safepath.people.tests.url_table_people import refer, route
from safepath.testing import OrganisationFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_it_takes_a_case_from_routing_to_closure_and_fast_tracks_a_re_referral(member):
    hub = OrganisationFactory(type=OrganisationType.HUB)
    provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    worker = member(Role.CASEWORKER, provider)
    referral = refer(hub, "Ffion", "Carrow")
    with time_machine.travel(datetime(2026, 1, 10, 10, tzinfo=LONDON)):
        case = case_open_from_work_item(request=None, item=route(referral, provider))
        assert case.status == CaseStatus.WAITING and not case.is_rereferral
        case_allocate(request=None, case=case, worker=worker, version=case.version)
        assert case.status == CaseStatus.ALLOCATED and str(case.support_ends_on) == "2027-01-10"
        case_contact_recorded(case, at=datetime(2026, 1, 11, 9, tzinfo=LONDON), mode="phone", made=True)
        assert case.status == CaseStatus.ACTIVE and case.engaged_at is not None
        with pytest.raises(CaseChanged):
            case_change_status(request=None, case=case, to_status="closed", version=1, reason_code="risk_reduced")
        case_change_status(request=None, case=case, to_status="closed", version=case.version, reason_code="risk_reduced")
    settings = settings_for(case.pathway)
    settings.rereferral_priority = ReReferralPriority.SKIP_WAITING_LIST
    settings.save()
    again = refer(hub, "Ffion", "Carrow")
    again.person = referral.person
    again.save()
    with time_machine.travel(datetime(2026, 9, 1, 10, tzinfo=LONDON)):
        second = case_open_from_work_item(request=None, item=route(again, provider))
    assert second.is_rereferral and second.previous_case == case
    assert second.status == CaseStatus.ALLOCATED and second.key_worker == worker
    assert [c.to_status for c in second.status_changes.all()] == ["waiting", "allocated"]
    assert Case.objects.count() == 2
