"""Merging two people who turn out to be one moves their cases; undoing the merge moves them back."""

import pytest

from safepath.cases.models import Case
from safepath.cases.services import case_open_from_work_item
from safepath.core.roles import OrganisationType
from safepath.people.services import person_merge, person_unmerge
from safepath.people.tests.url_table_people import refer, route
from safepath.testing import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_it_moves_cases_with_a_merge_and_back_when_it_is_undone():
    hub = OrganisationFactory(type=OrganisationType.HUB)
    provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    kept = refer(hub, "Rhiannon", "Tallis")
    merged = refer(hub, "Rianon", "Tallis")
    case = case_open_from_work_item(request=None, item=route(merged, provider))
    record = person_merge(request=None, kept=kept.person, merged=merged.person, reason="same person")
    assert Case.objects.get(pk=case.pk).person_id == kept.person_id
    person_unmerge(request=None, merge=record)
    assert Case.objects.get(pk=case.pk).person_id == merged.person_id
