"""The demo's year of case work: every row as the apps' services would have written it.

One year of a single provider's work is generated once for the module (and rolled back at
the end); each test reads it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from safepath.accounts.models import Membership, Organisation, User
from safepath.cases.choices import TRANSITIONS, CaseStatus, HandoverStatus
from safepath.cases.models import Case, CaseStatusChange, Handover, RiskReview, VolunteerAssignment
from safepath.cases.selectors import settings_for
from safepath.cases.services import previous_closed_case
from safepath.casework.models import Consent, Contact, SafetyPlan, Task
from safepath.casework.selectors import next_action_due
from safepath.core.models import VocabularyTerm
from safepath.core.roles import OrganisationType, Role
from safepath.demo.cases import LEAD_CASELOAD, generate_cases
from safepath.demo.generate import generate_referrals
from safepath.outcomes.models import HealthAction, Recording
from safepath.programmes.models import Attendance, Cohort, Enrolment, Programme, VolunteerSession
from safepath.testing import AreaFactory, OrganisationFactory

END = datetime(2026, 11, 20, 17, tzinfo=ZoneInfo("Europe/London"))
OPEN = (CaseStatus.ALLOCATED, CaseStatus.ACTIVE, CaseStatus.STEPPING_DOWN)


@dataclass(frozen=True)
class Year:
    provider: Organisation
    lead: User
    volunteer: User


def _account(email: str, organisation: Organisation, role: str) -> User:
    user = User.objects.create(email=email, full_name=email.split("@")[0], is_demo=True)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture(scope="module")
def year(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        area = AreaFactory(postcode_districts="ME4 ME5 ME7")
        hub = OrganisationFactory(type=OrganisationType.HUB)
        hub.areas.add(area)
        provider = OrganisationFactory(type=OrganisationType.PROVIDER)
        lead = _account("lead@demo.test", provider, Role.CASEWORKER)
        _account("manager@demo.test", provider, Role.TEAM_MANAGER)
        volunteer = _account("volunteer@demo.test", provider, Role.VOLUNTEER)
        generate_referrals(hub=hub, provider=provider, count=1200, seed=5, end=END)
        generate_cases(providers=[provider], end=END, seed=5, lead_worker=lead)
        yield Year(provider, lead, volunteer)
        transaction.set_rollback(True)


def test_it_asks_outcome_questions_at_intake_and_at_exit(db, year):
    recordings = Recording.objects.filter(case__provider=year.provider).select_related("case", "measure")
    intake = recordings.filter(moment="intake")
    exits = recordings.filter(moment="exit")
    assert intake.exists() and exits.exists()
    engaged = Case.objects.filter(provider=year.provider, first_contact_at__isnull=False)
    assert intake.values("case").distinct().count() > 0.8 * engaged.count()
    for recording in intake:
        assert recording.recorded_at >= recording.case.first_contact_at
        assert recording.measure.framework.pathways.filter(pk=recording.case.pathway_id).exists()
    for recording in exits:
        assert recording.case.status == CaseStatus.CLOSED and recording.recorded_at <= recording.case.closed_at
    # Most people feel safer at the end than at the start.
    safety = {(r.case_id, r.moment): r.value for r in recordings.filter(measure__code="safety", value__isnull=False)}
    pairs = [(v, safety[(case, "exit")]) for (case, moment), v in safety.items() if moment == "intake" and (case, "exit") in safety]
    assert len(pairs) > 20
    assert sum(after > before for before, after in pairs) > 0.6 * len(pairs)
    # Some questions are skipped, always with a reason from the vocabulary.
    reasons = set(VocabularyTerm.objects.filter(vocabulary="outcome_skip_reasons").values_list("code", flat=True))
    skipped = recordings.filter(value__isnull=True)
    assert skipped.exists() and set(skipped.values_list("skip_reason", flat=True)) <= reasons
    assert recordings.filter(measure__code="child-wellbeing", case__referral__children_in_household=0).exclude(
        skip_reason="not_relevant"
    ).count() == 0


def test_it_reviews_idva_cases_and_hands_some_over(db, year):
    reviews = RiskReview.objects.filter(case__provider=year.provider).select_related("case", "assessment")
    assert reviews.exists()
    assert reviews.filter(new_level__in=["medium", "standard"], previous_level="high").count() > reviews.count() / 2
    for case in Case.objects.filter(risk_reviews__isnull=False).distinct():
        latest = case.risk_reviews.order_by("-at", "-id").first()
        assert case.risk_level == latest.new_level == latest.assessment.level
        interval = settings_for(case.pathway).review_interval_days
        assert case.review_due_on == timezone.localdate(latest.at) + timedelta(days=interval)
    handovers = Handover.objects.filter(from_case__provider=year.provider).select_related("from_case", "new_case")
    accepted = handovers.filter(status=HandoverStatus.ACCEPTED, direction="step_down")
    assert accepted.exists()
    for handover in accepted:
        assert handover.from_case.status == CaseStatus.CLOSED
        assert handover.from_case.closure_reason == "transferred" and handover.from_case.closed_at == handover.decided_at
        assert handover.new_case.pathway.code == "outreach" and handover.new_case.opened_at == handover.decided_at
        assert not handover.new_case.is_rereferral
    for handover in handovers.filter(status=HandoverStatus.OFFERED, direction="step_down"):
        assert handover.from_case.status == CaseStatus.STEPPING_DOWN and handover.created_at < END
    assert handovers.filter(status=HandoverStatus.DECLINED).exclude(decline_reason="").count() == handovers.filter(
        status=HandoverStatus.DECLINED
    ).count()


def _touches(case_ids: list[int]) -> dict[int, list[datetime]]:
    """When each case had a successful contact (contacts, group sessions, volunteer sessions)."""
    found: dict[int, list[datetime]] = defaultdict(list)
    for case_id, at in Contact.objects.filter(case__in=case_ids, made=True).values_list("case_id", "at"):
        found[case_id].append(at)
    attended = Attendance.objects.filter(enrolment__case__in=case_ids, attended=True)
    for case_id, at in attended.values_list("enrolment__case_id", "session__starts_at"):
        found[case_id].append(at)
    sessions = VolunteerSession.objects.filter(assignment__case__in=case_ids, mode__in=["face_to_face", "phone"])
    for case_id, at in sessions.values_list("assignment__case_id", "at"):
        found[case_id].append(at)
    return found


def test_it_keeps_every_case_row_as_the_case_services_would(db, year):
    cases = list(Case.objects.filter(provider=year.provider).select_related("person"))
    history: dict[int, list[CaseStatusChange]] = defaultdict(list)
    for change in CaseStatusChange.objects.filter(case__in=cases).order_by("at", "id"):
        history[change.case_id].append(change)
    reviews = Counter(RiskReview.objects.filter(case__in=cases).values_list("case_id", flat=True))
    touches = _touches([c.pk for c in cases])
    handed_in = set(Handover.objects.filter(new_case__in=cases).values_list("new_case_id", flat=True))
    closure_reasons = set(VocabularyTerm.objects.filter(vocabulary="case_closure_reasons").values_list("code", flat=True))
    for case in cases:
        changes = history[case.pk]
        assert changes[0].from_status == "" and changes[0].to_status == CaseStatus.WAITING
        for before, after in pairwise(changes):
            assert after.from_status == before.to_status and after.to_status in TRANSITIONS[before.to_status]
        assert changes[-1].to_status == case.status
        assert case.version == len(changes) + reviews[case.pk]
        if case.status == CaseStatus.CLOSED:
            assert case.closure_reason in closure_reasons and case.closed_at == changes[-1].at
        made = touches.get(case.pk, [])
        assert case.last_contact_at == (max(made) if made else None)
        assert case.first_contact_at == (min(made) if made else None)
        if case.pk not in handed_in:
            previous = previous_closed_case(case.person, case.pathway, at=case.opened_at)
            assert case.previous_case_id == (previous.pk if previous else None)
            assert case.is_rereferral == (previous is not None)
    assert any(c.is_rereferral for c in cases)


def test_it_keeps_the_next_action_date_from_plans_and_tasks(db, year):
    cases = Case.objects.filter(provider=year.provider)
    for case in cases.filter(Q(status__in=OPEN) | Q(pk__in=Task.objects.values("case_id")))[:400]:
        assert case.next_action_on == next_action_due(case)
    for case_id in SafetyPlan.objects.filter(case__provider=year.provider).values_list("case_id", flat=True).distinct():
        assert SafetyPlan.objects.filter(case_id=case_id, is_current=True).count() == 1
    open_cases = cases.filter(status__in=OPEN)
    overdue = open_cases.filter(next_action_on__lt=END.date()).count()
    assert 0 < overdue < open_cases.count() / 2
    assert Task.objects.filter(case__in=open_cases, done_at__isnull=True).exists()
    engaged = cases.filter(first_contact_at__isnull=False).count()
    consented = Consent.objects.filter(case__provider=year.provider).values("case").distinct().count()
    assert consented > 0.7 * engaged
    assert not Consent.objects.filter(case__provider=year.provider, scopes__isnull=True).exists()


def test_it_records_health_actions_with_their_history(db, year):
    actions = HealthAction.objects.filter(case__provider=year.provider).prefetch_related("changes")
    assert {"achieved", "in_progress"} <= set(actions.values_list("status", flat=True))
    assert actions.filter(case__pathway__code="health-advocacy").exists()
    for action in actions:
        changes = sorted(action.changes.all(), key=lambda c: (c.recorded_at, c.pk))
        assert changes[0].from_status == "" and changes[0].token == action.token
        assert [c.from_status for c in changes[1:]] == [c.to_status for c in changes[:-1]]
        assert (changes[-1].to_status, changes[-1].on) == (action.status, action.status_on)


def test_it_runs_the_freedom_programme_for_group_programme_cases(db, year):
    programme = Programme.objects.get(provider=year.provider)
    enrolments = Enrolment.objects.filter(cohort__programme=programme).select_related("case")
    assert {e.case.pathway.code for e in enrolments} == {"group-programme"}
    assert {"completed", "enrolled"} <= set(enrolments.values_list("status", flat=True))
    for cohort in Cohort.objects.filter(programme=programme):
        assert cohort.sessions.count() == programme.sessions_planned
        assert cohort.enrolments.exclude(status="withdrawn").count() <= cohort.capacity
    attendance = Attendance.objects.filter(enrolment__in=enrolments)
    assert attendance.exists() and attendance.aggregate(last=Max("session__starts_at"))["last"] <= END
    for enrolment in enrolments.filter(status="completed"):
        assert enrolment.attendance.filter(attended=True).count() >= programme.sessions_to_complete


def test_it_gives_people_on_the_volunteer_pathway_a_volunteer(db, year):
    assignments = VolunteerAssignment.objects.filter(case__provider=year.provider).select_related("case")
    assert assignments.filter(case__pathway__code="volunteer").exists()
    assert {a.case.pathway.code for a in assignments} <= {"volunteer", "outreach", "health-advocacy"}
    own = assignments.filter(volunteer=year.volunteer, ended_on__isnull=True)
    assert own.exists()
    sessions = VolunteerSession.objects.filter(assignment__in=own)
    assert sessions.exists() and set(sessions.values_list("recorded_by", flat=True)) == {year.volunteer.pk}
    for session in VolunteerSession.objects.filter(assignment__in=assignments).select_related("assignment"):
        assert timezone.localdate(session.at) >= session.assignment.started_on
        if session.mode == "phone":
            assert session.assignment.case.person.safe_contact.phone_safe


def test_it_gives_the_demo_caseworker_a_capped_idva_caseload(db, year):
    open_cases = Case.objects.filter(provider=year.provider, status__in=OPEN, pathway__code="idva")
    loads = Counter(open_cases.values_list("key_worker", flat=True))
    assert loads[year.lead.pk] == max(loads.values())
    assert loads[year.lead.pk] <= LEAD_CASELOAD + 3
