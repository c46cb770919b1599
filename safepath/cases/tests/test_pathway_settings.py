"""Pathway settings: administrators change support periods, windows, rules and benchmarks
(validated, audited); nobody else may."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safepath.cases.choices import EngagementRule, ReReferralPriority
from safepath.cases.selectors import settings_for
from safepath.cases.services_config import pathway_settings_update
from safepath.core.models import AuditEvent
from safepath.core.roles import Role
from safepath.referrals.models import Pathway
from safepath.testing import refused

pytestmark = pytest.mark.django_db
LIST = reverse("cases:pathway_settings")

GOOD = {
    "support_months": 9,
    "step_down_prompt_days": 21,
    "rereferral_window_months": 6,
    "rereferral_priority": ReReferralPriority.SKIP_WAITING_LIST,
    "engagement_rule": EngagementRule.FACE_TO_FACE,
    "review_interval_days": 60,
    "caseload_low": 50,
    "caseload_high": 70,
}


@pytest.fixture
def idva(db):
    return Pathway.objects.get(code="idva")


def edit_url(pathway: Pathway) -> str:
    return reverse("cases:pathway_settings_edit", args=[pathway.pk])


def test_it_lists_every_pathway_with_its_defaults(login, admin_user):
    html = login(admin_user).get(LIST).content.decode()
    for pathway in Pathway.objects.all():
        assert f'data-pathway="{pathway.code}"' in html
    assert "60–80" in html and "12 months" in html and "A conversation (phone, video or face to face)" in html


def test_it_saves_and_audits_a_change(login, admin_user, idva):
    response = login(admin_user).post(edit_url(idva), GOOD)
    assert response.status_code == 302 and response["Location"] == LIST
    settings = settings_for(idva)
    assert {name: getattr(settings, name) for name in GOOD} == GOOD
    event = AuditEvent.objects.get(action="update", object_type="cases.pathwaysettings", object_id=str(settings.pk))
    assert "support_months" in event.reason and "caseload_high" in event.reason


def test_it_shows_the_current_values(login, admin_user, idva):
    html = login(admin_user).get(edit_url(idva)).content.decode()
    assert 'name="support_months" type="text" value="12"' in html
    assert 'name="caseload_high" type="text" value="80"' in html


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"caseload_low": 90}, "caseload_high", "The high end of the benchmark must be at least the low end."),
        ({"support_months": 0}, "support_months", "Enter a whole number from 1 to 60."),
        ({"support_months": "twelve"}, "support_months", "Enter a whole number from 1 to 60."),
        ({"review_interval_days": 1000}, "review_interval_days", "Enter a whole number from 7 to 365."),
        ({"caseload_high": ""}, "caseload_high", "Enter a whole number from 1 to 500."),
        (
            {"support_months": 1, "step_down_prompt_days": 28},
            "step_down_prompt_days",
            "The step-down prompt must come before",
        ),
        ({"engagement_rule": "telepathy"}, "engagement_rule", "Choose what counts as engagement."),
    ],
)
def test_it_refuses_bad_values_beside_the_field(change, field, message, login, admin_user, idva):
    html = login(admin_user).post(edit_url(idva), GOOD | change).content.decode()
    assert "govuk-error-summary" in html and message in html and f'href="#id_{field}' in html
    assert settings_for(idva).support_months == 12


def test_it_validates_in_the_service_too(idva):
    with pytest.raises(ValidationError) as caught:
        pathway_settings_update(request=None, pathway=idva, **(GOOD | {"caseload_low": 81, "caseload_high": 80}))
    assert "caseload_high" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        pathway_settings_update(request=None, pathway=idva, **(GOOD | {"rereferral_priority": "later"}))
    assert "rereferral_priority" in caught.value.error_dict


def test_it_writes_no_audit_row_when_nothing_changed(idva):
    current = settings_for(idva)
    values = {name: getattr(current, name) for name in GOOD}
    pathway_settings_update(request=None, pathway=idva, **values)
    assert not AuditEvent.objects.filter(object_type="cases.pathwaysettings").exists()


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.CASEWORKER, Role.COMMISSIONER])
def test_it_is_for_administrators_only(role, login, member, idva):
    client = login(member(role))
    assert client.get(LIST).status_code == 403
    assert client.post(edit_url(idva), GOOD).status_code == refused(role, edit_url(idva))
    assert settings_for(idva).support_months == 12
