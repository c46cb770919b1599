"""Placements move along their allowed transitions; bedspaces follow them; the database refuses
a second household in one bedspace."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safepath.accommodation import services
from safepath.accommodation.choices import BedspaceState, PlacementStatus, ServiceType
from safepath.accommodation.models import Placement, PlacementChange
from safepath.accommodation.tests import factories as f
from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType
from safepath.testing import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(timezone.datetime(2026, 6, 1, 12, 0, tzinfo=timezone.get_current_timezone()), tick=False):
        yield


@pytest.fixture
def setting():
    _kent, (medway,) = f.council("Kent", "Medway")
    _leics, (city,) = f.council("Leicestershire", "Leicester City")
    hub = OrganisationFactory(type=OrganisationType.HUB)
    referrer = f.provider()
    case = f.make_case(hub, referrer, area=medway)
    local = f.make_service(f.provider(), medway, "Medway Refuge", spaces=1)
    away = f.make_service(f.provider(), city, "City Refuge", spaces=2)
    return {"case": case, "local": local, "away": away, "hub": hub, "referrer": referrer, "medway": medway}


def test_it_places_and_moves_on(setting):
    placement = f.place(setting["case"], setting["local"], date(2026, 5, 1))
    bedspace = placement.bedspace
    bedspace.refresh_from_db()
    assert placement.status == PlacementStatus.IN_SUPPORT and bedspace.state == BedspaceState.OCCUPIED
    f.move_on(placement, date(2026, 5, 20))
    placement.refresh_from_db()
    bedspace.refresh_from_db()
    assert placement.status == PlacementStatus.ENDED and placement.destination == "own_tenancy"
    assert bedspace.state == BedspaceState.VACANT
    assert list(PlacementChange.objects.filter(placement=placement).values_list("to_status", flat=True)) == [
        "referred",
        "accepted",
        "in_support",
        "ended",
    ]


def test_it_refuses_a_second_household_in_one_bedspace_at_the_database():
    """Occupancy never exceeds bedspaces: the constraint, not only the service, says so."""
    _kent, (medway,) = f.council("Kent", "Medway")
    hub = OrganisationFactory(type=OrganisationType.HUB)
    service = f.make_service(f.provider(), medway, spaces=1)
    first = f.place(f.make_case(hub, f.provider(), "Ann", "One"), service, date(2026, 5, 1))
    second = f.refer(f.make_case(hub, f.provider(), "Bea", "Two"), service)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(pk=second.pk).update(
            status=PlacementStatus.IN_SUPPORT, bedspace=first.bedspace, moved_in_on=date(2026, 5, 2)
        )


def test_it_refuses_in_support_without_a_bedspace_at_the_database(setting):
    placement = f.refer(setting["case"], setting["local"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(pk=placement.pk).update(
            status=PlacementStatus.IN_SUPPORT, moved_in_on=date(2026, 5, 2)
        )


def test_it_refuses_to_move_into_an_occupied_bedspace(setting):
    first = f.place(setting["case"], setting["local"], date(2026, 5, 1))
    other = f.make_case(setting["hub"], setting["referrer"], "Tamsin", "Rowe", area=setting["medway"])
    placement = f.refer(other, setting["local"])
    services.placement_accept(request=None, placement=placement)
    with pytest.raises(ValidationError) as raised:
        services.placement_move_in(
            request=None, placement=placement, moved_in_on=date(2026, 5, 2), bedspace=first.bedspace
        )
    assert "not free" in str(raised.value)


def test_it_keeps_occupied_bedspaces_out_of_staff_hands(setting):
    placement = f.place(setting["case"], setting["local"], date(2026, 5, 1))
    with pytest.raises(ValidationError):
        services.bedspace_state_set(request=None, bedspace=placement.bedspace, state=BedspaceState.VACANT)
    with pytest.raises(ValidationError):
        services.bedspace_state_set(request=None, bedspace=setting["away"].bedspaces.first(), state="occupied")


def test_it_records_why_a_placement_is_out_of_area(setting):
    with pytest.raises(ValidationError) as raised:
        f.refer(setting["case"], setting["away"])
    assert "out_of_area_reason" in raised.value.error_dict
    placement = f.refer(setting["case"], setting["away"], out_of_area_reason="safety")
    assert placement.out_of_area and placement.out_of_area_reason == "safety"
    assert not f.refer(setting["case"], setting["local"]).out_of_area


def test_it_declines_only_with_a_configured_reason(setting):
    placement = f.refer(setting["case"], setting["local"])
    with pytest.raises(ValidationError):
        services.placement_decline(request=None, placement=placement, reason="made_up")
    declined = services.placement_decline(request=None, placement=placement, reason="no_capacity")
    assert declined.status == PlacementStatus.DECLINED and declined.decline_reason == "no_capacity"
    with pytest.raises(ValidationError):
        services.placement_accept(request=None, placement=declined)


def test_it_fits_sanctuary_measures_without_a_bedspace(setting):
    sanctuary = f.make_service(f.provider(), setting["medway"], "Sanctuary", type=ServiceType.SANCTUARY)
    placement = f.place(setting["case"], sanctuary, date(2026, 5, 1))
    assert placement.status == PlacementStatus.IN_SUPPORT and placement.bedspace is None
    with pytest.raises(ValidationError):
        services.bedspace_add(request=None, service=sanctuary, label="Room 1")


def test_it_makes_one_placement_per_form(setting):
    token = f.token()
    kwargs = {"request": None, "case": setting["case"], "service": setting["local"], "token": token}
    assert services.placement_refer(**kwargs) == services.placement_refer(**kwargs)
    assert Placement.objects.count() == 1


def test_it_audits_without_addresses_or_names(setting):
    f.place(setting["case"], setting["local"], date(2026, 5, 1))
    reasons = " ".join(AuditEvent.objects.values_list("reason", flat=True))
    assert f.MARKER not in reasons and "Morwenna" not in reasons
    assert AuditEvent.objects.filter(object_type="accommodation.placement").count() >= 3


def test_it_stores_the_address_encrypted(setting):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT address_sealed FROM accommodation_service")
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert f.MARKER not in stored and stored
