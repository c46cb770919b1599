"""Synthetic case work for a demo scenario: every accepted referral becomes a case and is
carried through the case services (waiting list, allocation, first contact, closure), so
waiting lists, caseloads, engagement and re-referral flags are computed, not written.

Deterministic for a given seed. Staff are synthetic accounts that cannot sign in (no
password, no MFA); the demo's own accounts join the busiest pathway's team.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction

from safepath.accounts.models import Membership, Organisation, User
from safepath.cases.choices import CaseStatus
from safepath.cases.models import Case, Team
from safepath.cases.services import case_allocate, case_change_status, case_contact_recorded, case_open_from_work_item
from safepath.casework.models import Contact
from safepath.core.roles import Role
from safepath.people.models import SafeContact
from safepath.referrals.models import WorkItem

# Median days on the waiting list by risk level, and how long support lasts (days).
WAIT_DAYS = {"high": 1, "medium": 9, "standard": 21}
SUPPORT_DAYS = {"high": (60, 240), "medium": (45, 200), "standard": (30, 150)}
CLOSURE_REASONS = [
    ("support_complete", 40), ("risk_reduced", 25), ("disengaged", 15), ("moved_away", 6),
    ("transferred", 5), ("declined", 8), ("died", 1),
]
# Share of cases never reached after allocation (contact attempts fail).
NEVER_REACHED = {"high": 0.11, "medium": 0.18, "standard": 0.22}
STAFF_NAMES = [
    "Aisha Rahman", "Beth Lloyd", "Ciaran Doyle", "Dami Ogunleye", "Elin Parry", "Farah Siddiqui",
    "Grace Whitmore", "Hannah Kowalski", "Imani Clarke", "Jade Fenwick", "Kerry Walsh", "Leah Morrison",
]


def _staff(provider: Organisation, pathway_code: str, names: list[str]) -> tuple[Team, list[User]]:
    team, _ = Team.objects.get_or_create(organisation=provider, name=f"{pathway_code.replace('-', ' ').title()} team")
    users = []
    for name in names:
        email = f"{name.lower().replace(' ', '.')}.{provider.pk}@staff.safepath.test"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, full_name=name)
            user.set_unusable_password()
            user.save()
        Membership.objects.get_or_create(user=user, organisation=provider, role=Role.CASEWORKER)
        users.append(user)
    team.members.add(*users)
    return team, users


def generate_cases(
    *, providers: list[Organisation], end: datetime, seed: int = 2017, lead_worker: User | None = None
) -> int:
    """Open and progress a case for every accepted work item at `providers` that has none.
    `lead_worker` (the demo caseworker) joins the IDVA team so their caseload is full."""
    rng = random.Random(seed)
    items = list(
        WorkItem.objects.filter(provider__in=providers, status=WorkItem.Status.ACCEPTED, case__isnull=True)
        .select_related("referral", "referral__person", "pathway")
        .order_by("referral__received_at", "pk")
    )
    teams: dict[tuple[int, int], tuple[Team, list[User]]] = {}
    pool = list(STAFF_NAMES)
    for item in items:
        key = (item.provider_id, item.pathway_id)
        if key not in teams:
            names = [pool.pop(0) for _ in range(min(4, len(pool)))] or STAFF_NAMES[:2]
            teams[key] = _staff(item.provider, item.pathway.code, names)
            if lead_worker is not None and item.pathway.code == "idva":
                teams[key][0].members.add(lead_worker)
                teams[key][1].append(lead_worker)
        _progress(rng, item, *teams[key], end=end)
    return len(items)


@transaction.atomic
def _progress(rng: random.Random, item: WorkItem, team: Team, workers: list[User], *, end: datetime) -> None:
    referral = item.referral
    opened = referral.received_at + timedelta(hours=rng.randint(4, 72))
    if opened >= end:
        return
    case = case_open_from_work_item(request=None, item=item, at=opened)
    risk = case.risk_level
    if case.status == CaseStatus.WAITING:
        allocated = opened + timedelta(days=rng.expovariate(1 / WAIT_DAYS[risk]), hours=rng.randint(1, 8))
        if allocated >= end:
            return  # still on the waiting list
        case_allocate(request=None, case=case, worker=rng.choice(workers), team=team, at=allocated)
    else:
        allocated = opened
    if rng.random() < NEVER_REACHED[risk]:
        ends = allocated + timedelta(days=rng.randint(21, 42))
        if ends < end:
            case_change_status(request=None, case=case, to_status=CaseStatus.CLOSED, reason_code="disengaged", at=ends)
        return
    first = allocated + timedelta(hours=rng.randint(3, 96))
    if first >= end:
        return
    low, high = SUPPORT_DAYS[risk]
    closes = first + timedelta(days=rng.randint(low, high))
    _contacts(rng, case, first, min(closes, end), workers)
    step_down = closes - timedelta(days=rng.randint(14, 35))
    if step_down < end:
        case_change_status(request=None, case=case, to_status=CaseStatus.STEPPING_DOWN, at=step_down)
    if closes < end:
        reason = rng.choices([r for r, _ in CLOSURE_REASONS], weights=[w for _, w in CLOSURE_REASONS])[0]
        case_change_status(request=None, case=case, to_status=CaseStatus.CLOSED, reason_code=reason, at=closes)


def _safe_contact(rng: random.Random, case: Case) -> SafeContact:
    """What the person said is safe, asked at the first call (most allow calls; few letters)."""
    contact, _ = SafeContact.objects.get_or_create(
        person_id=case.person_id,
        defaults={
            "phone_safe": rng.random() < 0.9,
            "voicemail_safe": rng.random() < 0.4,
            "text_safe": rng.random() < 0.7,
            "letters_safe": rng.random() < 0.15,
            "email_safe": rng.random() < 0.3,
            "safe_times": rng.choice(["Weekdays 10am to 2pm", "Mornings only", "Any time", "After 7pm"]),
        },
    )
    return contact


def _contacts(rng: random.Random, case: Case, first: datetime, until: datetime, workers: list[User]) -> None:
    """Contacts from the first successful one until `until`: every week or two, some attempts
    unanswered, only by channels the person said are safe (face to face always is)."""
    safe = _safe_contact(rng, case)
    modes = ["face_to_face", "video"] + [m for m in ("phone", "text", "letter") if safe.refusal(m) is None]
    rows = []
    at = first
    while at < until:
        made = at == first or rng.random() < 0.8
        mode = (rng.choice(["face_to_face", "phone"]) if "phone" in modes else "face_to_face") if at == first else rng.choice(modes)
        rows.append(
            Contact(
                case=case,
                contact_type="support_session" if at != first else "safety_planning",
                mode=mode,
                made=made,
                at=at,
                duration_minutes=rng.randint(10, 75) if made else None,
                by=case.key_worker or rng.choice(workers),
                recorded_at=at + timedelta(hours=1),
            )
        )
        at += timedelta(days=rng.randint(5, 16), hours=rng.randint(-3, 3))
    Contact.objects.bulk_create(rows)
    case_contact_recorded(case, at=rows[0].at, mode=rows[0].mode, made=True)
    last = max((r for r in rows if r.made), key=lambda r: r.at)
    case_contact_recorded(case, at=last.at, mode=last.mode, made=True)


def open_case_count(providers: list[Organisation]) -> int:
    return Case.objects.filter(provider__in=providers).open().count()
