"""A case's casework as the casework services would record it: contacts by the channels the
person said are safe, safety plans revised as they come up for review, tasks, and consent to
share. Bulk-inserted rows (demo.rows), each exactly what contact_record, safety_plan_revise,
task_add / task_done and consent_record write, minus their audit rows; the case's contact
facts follow from the contacts (Episode.touch) and its next action date from the plans and
tasks (next_action_due, as casework.selectors.next_action_due computes it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from safepath.casework.models import SHARING_SCOPES, Consent, Contact, SafetyPlan, SafetyPlanAction, Task
from safepath.casework.services import contact_refusal
from safepath.core.models import VocabularyTerm
from safepath.demo.rows import set_columns
from safepath.demo.timing import working
from safepath.people.models import SafeContact

if TYPE_CHECKING:
    from safepath.demo.cases import Episode, World

# Days between a key worker's contacts, by pathway (group and volunteer support add their own).
CADENCE = {
    "idva": (5, 16), "safe-accommodation": (3, 10), "outreach": (7, 21), "children": (7, 21),
    "health-advocacy": (10, 25), "volunteer": (14, 30), "group-programme": (21, 35),
}
CONTACT_TYPE_WEIGHTS = [("support_session", 50), ("check_in", 25), ("advocacy", 12), ("court_support", 5), ("crisis", 3)]
AGENCIES = ["Police domestic abuse unit", "Housing options team", "GP surgery", "Children's social care", "Probation"]
PLANNED_PATHWAYS = ("idva", "outreach", "safe-accommodation", "children")
PLAN_ACTIONS = [
    ("Keep the phone charged and the safe number saved under another name", "The person"),
    ("Agree a code word with a trusted friend", "The person"),
    ("Ask housing about changing the locks", "Key worker"),
    ("Apply for a non-molestation order", "Key worker"),
    ("Tell the school who may collect the children", "The person"),
    ("Pack a bag with documents and medication and keep it at a friend's", "The person"),
    ("Register for the police's vulnerable person flag on the address", "Key worker"),
    ("Plan a safe route to and from work", "The person"),
    ("Check the car and phone for tracking devices", "Key worker"),
    ("Arrange a sanctuary scheme assessment", "Key worker"),
]
PLAN_SUMMARY = "Agreed with the person at a face-to-face meeting. Reviewed together at each visit."
TASKS = [
    "Call back about the court date",
    "Chase the housing application",
    "Book an interpreter for the next visit",
    "Check in after the MARAC meeting",
    "Follow up the GP registration",
    "Send the bank letter template by the safe email",
    "Ask the police for an update on bail conditions",
]
CONSENT_SCOPES = ["risk_information", "safety_plan"]


ASKED = ["phone_safe", "voicemail_safe", "text_safe", "letters_safe", "email_safe", "safe_times", "updated_at"]


class SafeContacts:
    """Each person's safe-contact rules. A new person's record says nothing is known (people's
    person_create); the key worker fills it in from the referral and the person before the first
    call, as the safe-contact form would (most allow calls, few letters)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.known: dict[int, SafeContact] | None = None
        self.asked: dict[int, SafeContact] = {}
        self._modes: dict[int, list[str]] = {}

    def of(self, person_id: int, at: datetime) -> SafeContact:
        if self.known is None:
            person_ids = {pid for pid, _pathway, _provider in self.world.referred}
            self.known = {s.person_id: s for s in SafeContact.objects.filter(person_id__in=person_ids)}
        safe = self.known.get(person_id)
        if safe is None:
            safe = self.known[person_id] = self.world.rows.add(SafeContact(person_id=person_id))
        if person_id not in self.asked and all(getattr(safe, flag) is None for flag in SafeContact.FLAGS.values()):
            rng = self.world.rng
            safe.phone_safe = rng.random() < 0.9
            safe.voicemail_safe = rng.random() < 0.4
            safe.text_safe = rng.random() < 0.7
            safe.letters_safe = rng.random() < 0.15
            safe.email_safe = rng.random() < 0.3
            safe.safe_times = rng.choice(["Weekdays 10am to 2pm", "Mornings only", "Any time", "After 7pm"])
            safe.updated_at = at
            self.asked[person_id] = safe
        return safe

    def modes(self, person_id: int, at: datetime) -> list[str]:
        """Modes a contact with the person may use (contact_record refuses the others)."""
        if person_id not in self._modes:
            safe = self.of(person_id, at)
            modes = ("face_to_face", "video", "phone", "text", "letter")
            self._modes[person_id] = [m for m in modes if contact_refusal(safe, m) is None]
        return self._modes[person_id]

    def write(self) -> None:
        """Fill in the records that existed before (new ones were written with their answers)."""
        filled = [(s.pk, [getattr(s, name) for name in ASKED]) for s in self.asked.values() if s.pk is not None]
        set_columns(SafeContact, ASKED, filled)


def _contact(world: World, episode: Episode, at: datetime, mode: str, made: bool, kind: str) -> None:
    rng = world.rng
    world.rows.insert(
        Contact, case=episode.case, contact_type=kind, mode=mode, made=made, at=at,
        duration_minutes=rng.randint(10, 75) if made else None, by=episode.case.key_worker,
        recorded_at=min(at + timedelta(minutes=rng.randint(20, 240)), world.end),
    )
    episode.touch(at, mode, made)


def attempts(world: World, episode: Episode, start: datetime, until: datetime) -> None:
    """Two or three calls or texts that were not answered (only by channels marked safe)."""
    rng = world.rng
    modes = [m for m in world.safe.modes(episode.case.person_id, start) if m in ("phone", "text")]
    at = start
    for _ in range(rng.randint(2, 3) if modes else 0):
        at = working(rng, at + timedelta(hours=rng.randint(4, 120)))
        if at >= until:
            return
        _contact(world, episode, at, rng.choice(modes), False, "check_in")


def contacts(world: World, episode: Episode, first: datetime, closes: datetime | None) -> None:
    """From the first successful contact until the case closes: every week or two (by pathway),
    some unanswered, only by channels the person said are safe; now and then a call with
    another agency about the person."""
    rng, case = world.rng, episode.case
    modes = world.safe.modes(case.person_id, first)
    until = episode.until(closes)
    _contact(world, episode, first, "phone" if "phone" in modes and rng.random() < 0.5 else "face_to_face", True,
             "safety_planning")
    low, high = CADENCE.get(episode.code, (7, 21))
    at = working(rng, first + timedelta(days=rng.randint(low, high)))
    kinds, weights = [k for k, _ in CONTACT_TYPE_WEIGHTS], [w for _, w in CONTACT_TYPE_WEIGHTS]
    while at < until:
        if rng.random() < 0.08:
            world.rows.insert(
                Contact, case=case, contact_type="advocacy", mode="phone", made=True, at=at, with_whom="agency",
                agency_name=rng.choice(AGENCIES), duration_minutes=rng.randint(5, 30), by=case.key_worker,
                recorded_at=min(at + timedelta(minutes=30), world.end),
            )
            episode.touch(at, "phone", True)  # contact_record counts agency calls too
        else:
            _contact(world, episode, at, rng.choice(modes), rng.random() < 0.8, rng.choices(kinds, weights)[0])
        at = working(rng, at + timedelta(days=rng.randint(low, high), hours=rng.randint(-3, 3)))


# --- plans, tasks and consent -------------------------------------------------------------------


@dataclass
class Plan:
    plan: SafetyPlan
    actions: list[dict[str, Any]] = field(default_factory=list)  # SafetyPlanAction rows (values)


def records(world: World, episode: Episode, first: datetime, closes: datetime | None) -> None:
    _consent(world, episode, first)
    if episode.code in PLANNED_PATHWAYS:
        _safety_plans(world, episode, first, episode.until(closes))
    _tasks(world, episode, first, closes)


def _scope_ids(world: World) -> dict[str, int]:
    if not hasattr(world, "_scope_ids"):
        terms = VocabularyTerm.objects.filter(vocabulary=SHARING_SCOPES, is_active=True)
        world._scope_ids = dict(terms.values_list("code", "id"))  # type: ignore[attr-defined]
    return world._scope_ids  # type: ignore[attr-defined,no-any-return]


def _consent(world: World, episode: Episode, first: datetime) -> None:
    """Most people agree, at the first meeting, that the consortium may share risk information
    and the safety plan (some the full case); some also agree to a named agency."""
    rng, case = world.rng, episode.case
    if rng.random() >= 0.85:
        return
    scopes = _scope_ids(world)
    given = timezone.localdate(first)
    recorded_at = min(first + timedelta(hours=1), world.end)
    wanted = CONSENT_SCOPES + (["full_case"] if rng.random() < 0.35 else [])
    consents = [(Consent(case=case, recipient=Consent.Recipient.CONSORTIUM), wanted)]
    if rng.random() < 0.3:
        agency = Consent(case=case, recipient=Consent.Recipient.AGENCY, agency_name=rng.choice(AGENCIES))
        consents.append((agency, [rng.choice(["risk_information", "contact_details"])]))
    for consent, codes in consents:
        consent.given_on, consent.recorded_at, consent.recorded_by = given, recorded_at, case.key_worker
        withdrawn = given + timedelta(days=rng.randint(30, 150))
        if rng.random() < 0.04 and withdrawn <= world.today:
            consent.withdrawn_on, consent.withdrawal_recorded_by = withdrawn, case.key_worker
        world.rows.add(consent)
        for code in codes:
            world.rows.insert(Consent.scopes.through, consent=consent, vocabularyterm_id=scopes[code])


def _safety_plans(world: World, episode: Episode, first: datetime, until: datetime) -> None:
    """A plan at the first meeting, revised around its review date while support goes on. The
    key worker's actions have a date; open actions are copied forward, those done by then
    marked done (and dropped at the revision after)."""
    rng, case = world.rng, episode.case
    at = working(rng, first + timedelta(hours=rng.randint(1, 72)))
    actions: list[tuple[str, str, date | None, bool]] = []
    number = 0
    while at < until:
        number += 1
        today = timezone.localdate(at)
        review_on = today + timedelta(days=rng.randint(28, 56))
        actions = [
            (text, who, due, due is not None and due < today and rng.random() < 0.9)
            for text, who, due, done in actions
            if not done
        ]
        known = {text for text, *_ in actions}
        dated = any(due is not None and not done for _text, _who, due, done in actions)
        for text, who in rng.sample(PLAN_ACTIONS, rng.randint(0, 1) if actions else rng.randint(2, 4)):
            if text not in known:
                due = today + timedelta(days=rng.randint(7, 35)) if who == "Key worker" and not dated else None
                dated = dated or due is not None
                actions.append((text, who, due, False))
        plan = Plan(SafetyPlan(case=case, number=number, is_current=False, summary=PLAN_SUMMARY, review_on=review_on,
                               created_at=at, created_by=case.key_worker))
        plan.actions = [
            {"plan": plan.plan, "position": i, "text": text, "who": who, "due_on": due, "done": done}
            for i, (text, who, due, done) in enumerate(actions, start=1)
        ]
        episode.plans.append(plan)
        # Revised at its review, or sooner when the dated action is done (done is marked by revising).
        due_dates = [due for _text, _who, due, done in actions if due is not None and not done]
        revised_on = min([review_on + timedelta(days=rng.randint(-7, 10)), *(d + timedelta(days=rng.randint(0, 10)) for d in due_dates)])
        at = working(rng, max(datetime.combine(revised_on, at.timetz()), at + timedelta(days=7)))
    if episode.plans:
        episode.plans[-1].plan.is_current = True
    for plan in episode.plans:
        world.rows.add(plan.plan)
        for action in plan.actions:
            world.rows.insert(SafetyPlanAction, **action)


def _tasks(world: World, episode: Episode, first: datetime, closes: datetime | None) -> None:
    """Some done tasks along the way; on a case still open, sometimes one waiting (perhaps overdue)."""
    rng = world.rng
    until = episode.until(closes)
    if rng.random() < 0.3:
        created = working(rng, first + timedelta(days=rng.randint(1, 30)))
        due = timezone.localdate(created) + timedelta(days=rng.randint(3, 14))
        done_at = working(rng, datetime.combine(due, created.timetz()) + timedelta(days=rng.randint(-2, 2)))
        if done_at < until and done_at > created:
            episode.tasks.append(_task(world, episode, created, due, done_at))
    if closes is None and rng.random() < 0.35:
        created = working(rng, max(first, world.end - timedelta(days=rng.randint(1, 21))))
        if created < world.end:
            due = timezone.localdate(created) + timedelta(days=rng.randint(3, 28))
            episode.tasks.append(_task(world, episode, created, due, None))


def _task(world: World, episode: Episode, created: datetime, due: date, done_at: datetime | None) -> dict[str, Any]:
    worker = episode.case.key_worker
    return world.rows.insert(
        Task, case=episode.case, title=world.rng.choice(TASKS), due_on=due, assigned_to=worker, created_at=created,
        created_by=worker, done_at=done_at, done_by=worker if done_at else None,
    )


def next_action_due(episode: Episode) -> date | None:
    """casework.selectors.next_action_due over the case's rows: the earliest open task, open
    action of the current plan, or the current plan's review date."""
    dates = [t["due_on"] for t in episode.tasks if t["done_at"] is None]
    current = [p for p in episode.plans if p.plan.is_current]
    for plan in current:
        dates.append(plan.plan.review_on)
        dates += [a["due_on"] for a in plan.actions if not a["done"] and a["due_on"] is not None]
    return min(dates) if dates else None
