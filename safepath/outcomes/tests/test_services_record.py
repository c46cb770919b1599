"""Recording outcomes: what is asked when, skips, scales, all-or-nothing, once per form."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from safepath.core.models import AuditEvent
from safepath.outcomes import selectors
from safepath.outcomes.models import Measure, OutcomeFramework, Recording
from safepath.outcomes.services import Answer, outcomes_record
from safepath.outcomes.tests.url_table_outcomes import token

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
INTAKE_DAY = datetime(2026, 3, 12, 10, 0, tzinfo=LONDON)


def measure(framework: str, code: str) -> Measure:
    return Measure.objects.get(framework__code=framework, code=code)


def questions(case, moment):
    facts = selectors.case_facts(case)
    return selectors.questions_at(
        case,
        moment,
        frameworks=selectors.frameworks_for_case(case, facts),
        recordings=selectors.recordings_for_case(case),
        today=timezone.localdate(),
    )


def due_codes(case, moment):
    return [q.measure.code for q in questions(case, moment) if q.is_due]


def record(case, moment, answers, **kwargs):
    return outcomes_record(
        request=None, case=case, moment=moment, answers=answers, token=kwargs.pop("token", token()), **kwargs
    )


def all_skipped(case, moment, reason="chose_not_to_answer"):
    return {q.measure.pk: Answer(skip_reason=reason) for q in questions(case, moment) if q.is_due}


def test_it_asks_the_pathway_s_frameworks_at_intake(setup):
    with time_machine.travel(INTAKE_DAY):
        assert due_codes(setup.case, "intake") == ["safety", "emotional-safety", "rights-services", "health-access"]


def test_it_never_asks_at_intake_again_what_was_answered_at_intake(setup):
    safety = measure("medway", "safety")
    with time_machine.travel(INTAKE_DAY):
        record(setup.case, "intake", {safety.pk: Answer(value=2)})
        assert "safety" not in due_codes(setup.case, "intake")
        assert due_codes(setup.case, "intake") == ["emotional-safety", "rights-services", "health-access"]
    with time_machine.travel(datetime(2027, 3, 12, 10, tzinfo=LONDON)):  # a year on: still answered
        assert "safety" not in due_codes(setup.case, "intake")


def test_it_asks_at_review_only_after_the_pathway_s_review_interval(setup):
    with time_machine.travel(INTAKE_DAY):
        record(
            setup.case, "intake", all_skipped(setup.case, "intake") | {measure("medway", "safety").pk: Answer(value=2)}
        )
    with time_machine.travel(datetime(2026, 6, 9, 10, tzinfo=LONDON)):  # 89 days after intake
        assert due_codes(setup.case, "review") == []
        assert [q.measure.code for q in questions(setup.case, "review")] == ["safety", "emotional-safety"]
    with time_machine.travel(datetime(2026, 6, 10, 10, tzinfo=LONDON)):  # 90 days: due
        assert due_codes(setup.case, "review") == ["safety", "emotional-safety"]
        record(setup.case, "review", all_skipped(setup.case, "review"))
        assert due_codes(setup.case, "review") == []


def test_it_follows_the_review_interval_set_for_the_pathway(setup):
    settings = setup.case.pathway.settings
    settings.review_interval_days = 30
    settings.save()
    with time_machine.travel(INTAKE_DAY):
        record(setup.case, "intake", all_skipped(setup.case, "intake"))
    with time_machine.travel(datetime(2026, 4, 11, 10, tzinfo=LONDON)):
        assert due_codes(setup.case, "review") == ["safety", "emotional-safety"]


def test_it_asks_again_later_a_question_put_off_as_not_the_right_time(setup):
    safety = measure("medway", "safety")
    with time_machine.travel(INTAKE_DAY):
        record(setup.case, "intake", {safety.pk: Answer(skip_reason="not_right_time")})
        assert "safety" in due_codes(setup.case, "intake")
        record(setup.case, "intake", {safety.pk: Answer(value=3)})
        assert "safety" not in due_codes(setup.case, "intake")


def test_it_records_a_skip_with_its_reason(setup):
    safety = measure("medway", "safety")
    with time_machine.travel(INTAKE_DAY):
        (saved,) = record(setup.case, "intake", {safety.pk: Answer(skip_reason="not_relevant")})
    assert (saved.value, saved.skip_reason, saved.moment) == (None, "not_relevant", "intake")
    assert saved.recorded_at == INTAKE_DAY


@pytest.mark.parametrize(
    ("answer", "field", "message"),
    [
        (Answer(), "m{pk}", "Choose an answer, or choose why the question was skipped."),
        (Answer(value=2, skip_reason="other"), "m{pk}", "Choose an answer or a reason for skipping it, not both."),
        (Answer(skip_reason="bored"), "m{pk}_skip", "Choose a reason from the list."),
        (Answer(value=6), "m{pk}", "Choose one of the answers given."),
        (Answer(value=0), "m{pk}", "Choose one of the answers given."),
    ],
)
def test_it_refuses_an_answer_that_is_neither_on_the_scale_nor_a_reasoned_skip(setup, answer, field, message):
    safety = measure("medway", "safety")  # 1 to 5
    with pytest.raises(ValidationError) as raised:
        record(setup.case, "intake", {safety.pk: answer})
    assert raised.value.message_dict == {field.format(pk=safety.pk): [message]}
    assert not Recording.objects.exists()


def test_it_accepts_every_point_of_a_yes_partly_no_scale(setup):
    rights = measure("medway", "rights-services")
    assert [p.value for p in rights.scale.points.all()] == [0, 1, 2]
    record(setup.case, "intake", {rights.pk: Answer(value=0)})
    assert Recording.objects.get().value == 0


def test_it_saves_nothing_when_one_answer_is_wrong(setup):
    answers = all_skipped(setup.case, "intake") | {measure("medway", "safety").pk: Answer(value=9)}
    with pytest.raises(ValidationError):
        record(setup.case, "intake", answers)
    assert not Recording.objects.exists()


def test_it_records_nothing_twice_when_the_same_form_is_sent_twice(setup):
    answers = all_skipped(setup.case, "intake")
    form = token()
    first = record(setup.case, "intake", answers, token=form)
    second = record(setup.case, "intake", answers, token=form)
    assert {r.pk for r in first} == {r.pk for r in second}
    assert Recording.objects.count() == len(answers) == 4


def test_it_refuses_an_expired_form(setup):
    with pytest.raises(ValidationError, match="expired"):
        record(setup.case, "intake", all_skipped(setup.case, "intake"), token="not-a-token")


def test_it_tells_the_second_worker_when_questions_were_answered_meanwhile(setup):
    answers = all_skipped(setup.case, "intake")
    record(setup.case, "intake", answers)
    with pytest.raises(ValidationError) as raised:
        record(setup.case, "intake", answers)  # another form, the same questions
    assert "already been answered" in raised.value.message_dict["ask_again_reason"][0]
    assert Recording.objects.count() == 4


def test_it_asks_again_only_with_a_reason_and_keeps_the_reason(setup):
    safety = measure("medway", "safety")
    with time_machine.travel(INTAKE_DAY):
        record(setup.case, "intake", {safety.pk: Answer(value=1)})
        with pytest.raises(ValidationError):
            record(setup.case, "intake", {safety.pk: Answer(value=4)}, ask_again_reason="  ")
        (again,) = record(
            setup.case, "intake", {safety.pk: Answer(value=4)}, ask_again_reason="Moved to a refuge since"
        )
    assert again.ask_again_reason == "Moved to a refuge since"
    assert Recording.objects.filter(measure=safety).count() == 2


def test_it_does_not_ask_a_framework_that_is_not_in_use(setup):
    OutcomeFramework.objects.filter(code="medway").update(is_active=False)
    assert due_codes(setup.case, "intake") == []
    with pytest.raises(ValidationError, match="no longer asked"):
        record(setup.case, "intake", {measure("medway", "safety").pk: Answer(value=3)})


def test_it_does_not_ask_a_framework_the_pathway_does_not_use(setup):
    OutcomeFramework.objects.get(code="medway").pathways.clear()
    rotherham = OutcomeFramework.objects.get(code="rotherham")
    rotherham.pathways.add(setup.case.pathway)
    assert due_codes(setup.case, "intake") == ["health", "coping", "control"]


def test_it_does_not_ask_a_retired_question(setup):
    Measure.objects.filter(framework__code="medway", code="health-access").update(is_active=False)
    assert "health-access" not in due_codes(setup.case, "intake")


def test_it_asks_about_the_kinds_of_abuse_recorded_on_the_referral_only(setup):
    codes = due_codes(setup.case, "exit")
    assert codes[:6] == [
        "safety",
        "emotional-safety",
        "rights-services",
        "health-access",
        "safe-home",
        "harm-risk-reduced",
    ]
    assert codes[6:] == ["overall", "abuse-physical", "abuse-stalking"]


def test_it_refuses_a_moment_that_does_not_exist(setup):
    with pytest.raises(ValidationError) as raised:
        record(setup.case, "whenever", {measure("medway", "safety").pk: Answer(value=3)})
    assert "moment" in raised.value.message_dict


def test_it_audits_each_answer(setup):
    saved = record(setup.case, "intake", all_skipped(setup.case, "intake"))
    events = AuditEvent.objects.filter(object_type="outcomes.recording", action="create")
    assert sorted(int(e.object_id) for e in events) == sorted(r.pk for r in saved)
    assert {e.reason for e in events} == {"outcomes at intake"}
