"""Framework configuration by administrators."""

import pytest
from django.urls import reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import Role
from safepath.outcomes.models import Measure, OutcomeFramework
from safepath.referrals.models import Pathway
from safepath.testing import assert_constant_queries, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(login, member):
    return login(member(Role.ADMINISTRATOR))


def edit_data(framework, **changes):
    data = {
        "name": framework.name,
        "description": framework.description,
        "is_active": "on",
        "pathways": [str(p.pk) for p in framework.pathways.all()],
    }
    for measure in framework.measures.all():
        data[f"order_{measure.pk}"] = str(measure.order)
        data[f"active_{measure.pk}"] = "on"
    return data | changes


def test_it_lists_the_default_frameworks(admin):
    html = admin.get(reverse("outcomes:frameworks")).content.decode()
    for name in [
        "Medway outcomes",
        "Domestic abuse core outcomes",
        "Abuse stopped or reduced",
        "Health, coping and control",
    ]:
        assert name in html


def test_it_deactivates_a_framework_and_sets_its_pathways(admin):
    medway = OutcomeFramework.objects.get(code="medway")
    data = edit_data(medway, pathways=[str(Pathway.objects.get(code="outreach").pk)])
    del data["is_active"]
    assert admin.post(reverse("outcomes:framework_edit", args=[medway.pk]), data).status_code == 302
    medway.refresh_from_db()
    assert not medway.is_active
    assert [p.code for p in medway.pathways.all()] == ["outreach"]
    assert AuditEvent.objects.filter(
        object_type="outcomes.outcomeframework", object_id=str(medway.pk), action="update"
    ).exists()


def test_it_reorders_and_retires_questions(admin):
    medway = OutcomeFramework.objects.get(code="medway")
    safety, health = (
        Measure.objects.get(framework=medway, code="safety"),
        Measure.objects.get(framework=medway, code="health-access"),
    )
    data = edit_data(medway, **{f"order_{safety.pk}": "9"})
    del data[f"active_{health.pk}"]
    admin.post(reverse("outcomes:framework_edit", args=[medway.pk]), data)
    safety.refresh_from_db()
    health.refresh_from_db()
    assert safety.order == 9 and not health.is_active
    assert list(Measure.objects.filter(framework=medway, is_active=True).values_list("code", flat=True))[-1] == "safety"


def test_it_shows_a_bad_order_beside_the_question(admin):
    medway = OutcomeFramework.objects.get(code="medway")
    safety = Measure.objects.get(framework=medway, code="safety")
    html = admin.post(
        reverse("outcomes:framework_edit", args=[medway.pk]), edit_data(medway, **{f"order_{safety.pk}": "first"})
    ).content.decode()
    assert "There is a problem" in html and "The order must be a whole number." in html


def test_it_adds_a_question_with_a_scale(admin):
    rotherham = OutcomeFramework.objects.get(code="rotherham")
    page = reverse("outcomes:measure_add", args=[rotherham.pk])
    html = admin.get(page).content.decode()
    assert (
        "How safe (5 points): Not at all safe / Not very safe / Somewhat safe / Mostly safe / Completely safe" in html
    )
    scale = Measure.objects.get(framework=rotherham, code="coping").scale
    data = {
        "code": "sleep",
        "question": "How well are you sleeping?",
        "scale": str(scale.pk),
        "moments": ["intake", "exit"],
        "higher_is_better": "on",
    }
    assert admin.post(page, data).status_code == 302
    sleep = Measure.objects.get(framework=rotherham, code="sleep")
    assert (sleep.at_intake, sleep.at_review, sleep.at_exit, sleep.order) == (True, False, True, 3)
    again = admin.post(page, data).content.decode()  # the same code twice
    assert "already has a question with this code" in again


def test_it_needs_a_moment_for_a_new_question(admin):
    rotherham = OutcomeFramework.objects.get(code="rotherham")
    html = admin.post(
        reverse("outcomes:measure_add", args=[rotherham.pk]), {"code": "x", "question": "Q?"}
    ).content.decode()
    assert "Choose when the question is asked." in html and "Choose the answers the question offers." in html


def test_it_adds_a_framework(admin):
    data = {
        "code": "wellbeing",
        "name": "Wellbeing",
        "description": "",
        "pathways": [str(Pathway.objects.get(code="children").pk)],
    }
    response = admin.post(reverse("outcomes:framework_add"), data)
    framework = OutcomeFramework.objects.get(code="wellbeing")
    assert response["Location"] == reverse("outcomes:framework_edit", args=[framework.pk])
    assert "already exists" in admin.post(reverse("outcomes:framework_add"), data).content.decode()


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.CASEWORKER, Role.COMMISSIONER])
def test_it_refuses_everyone_but_administrators(login, member, role):
    client = login(member(role))
    medway = OutcomeFramework.objects.get(code="medway")
    assert client.get(reverse("outcomes:frameworks")).status_code == 403
    edit = reverse("outcomes:framework_edit", args=[medway.pk])
    assert client.post(edit, edit_data(medway)).status_code == refused(role, edit)


def test_it_lists_frameworks_in_a_constant_number_of_queries(admin):
    pathways = list(Pathway.objects.all())

    def grow(n):
        for i in range(n):
            framework = OutcomeFramework.objects.create(code=f"f{OutcomeFramework.objects.count()}-{i}", name="Extra")
            framework.pathways.set(pathways[:2])

    assert_constant_queries(admin, reverse("outcomes:frameworks"), grow)
