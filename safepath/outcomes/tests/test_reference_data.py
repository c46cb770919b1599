"""The default frameworks, scales and vocabularies the migration loads."""

import pytest

from safepath.core.models import VocabularyTerm
from safepath.outcomes.models import Measure, OutcomeFramework, Scale
from safepath.outcomes.tests.url_table_outcomes import reference_data

pytestmark = pytest.mark.django_db


def test_it_ships_the_frameworks_domain_md_names():
    assert list(OutcomeFramework.objects.values_list("code", flat=True)) == [
        "medway",
        "dva-core",
        "abuse-change",
        "rotherham",
    ]
    medway = set(Measure.objects.filter(framework__code="medway").values_list("code", flat=True))
    assert medway == {
        "safety",
        "emotional-safety",
        "rights-services",
        "health-access",
        "safe-home",
        "harm-risk-reduced",
    }
    core = set(Measure.objects.filter(framework__code="dva-core").values_list("code", flat=True))
    assert core == {"feel-safe", "daily-freedom", "caregiver-wellbeing", "child-wellbeing", "family-relationships"}
    assert set(Measure.objects.filter(framework__code="rotherham").values_list("code", flat=True)) == {
        "health",
        "coping",
        "control",
    }


def test_it_asks_about_every_kind_of_abuse_at_exit_only():
    from safepath.referrals.choices import AbuseType

    by_type = Measure.objects.filter(framework__code="abuse-change").exclude(abuse_type="")
    assert set(by_type.values_list("abuse_type", flat=True)) == set(AbuseType.values)
    assert not Measure.objects.filter(framework__code="abuse-change").filter(at_intake=True).exists()
    assert not Measure.objects.filter(framework__code="abuse-change").filter(at_review=True).exists()


@pytest.mark.parametrize("moment", ["at_intake", "at_review", "at_exit"])
def test_it_keeps_every_framework_short(moment):
    for framework in OutcomeFramework.objects.all():
        always = framework.measures.filter(abuse_type="", **{moment: True}).count()
        assert always <= 6, framework.code


def test_it_ships_no_licensed_tool_text():
    text = " ".join(Measure.objects.values_list("question", flat=True)) + " ".join(
        Scale.objects.values_list("name", flat=True)
    )
    assert "star" not in text.lower()


def test_it_gives_every_scale_ordered_distinct_points():
    for scale in Scale.objects.prefetch_related("points"):
        values = [p.value for p in scale.points.all()]
        assert values == sorted(set(values)) and len(values) >= 3, scale.code


def test_it_loads_the_vocabularies():
    skips = VocabularyTerm.objects.filter(vocabulary="outcome_skip_reasons").values_list("code", flat=True)
    assert set(skips) == {"chose_not_to_answer", "not_right_time", "not_relevant", "other"}
    health = set(VocabularyTerm.objects.filter(vocabulary="health_actions").values_list("code", flat=True))
    assert {
        "gp_registration",
        "dental_registration",
        "sexual_health",
        "screening",
        "immunisations",
        "mental_health_referral",
        "substance_misuse",
        "maternity",
    } == health


def test_it_never_overwrites_an_administrator_s_changes_when_loaded_again():
    medway = OutcomeFramework.objects.get(code="medway")
    medway.pathways.clear()
    Measure.objects.filter(framework=medway, code="safety").update(is_active=False, order=40)
    before = Measure.objects.count()
    reference_data()
    assert not medway.pathways.exists()
    assert Measure.objects.filter(framework=medway, code="safety", is_active=False, order=40).exists()
    assert Measure.objects.count() == before
