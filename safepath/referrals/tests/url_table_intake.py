"""URL × role rows for referral intake (collected by safepath/core/tests/test_url_role_table.py).

Also the test data the intake tests share: a valid professional referral as posted, and
referrals made by a given referrer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from safepath.accounts.models import Organisation, User
from safepath.core.roles import OrganisationType, Role
from safepath.referrals.models import Referral
from safepath.referrals.services import Incoming, referral_receive
from safepath.testing import OrganisationFactory, Row, make_member

R = Role
REFERRER = {R.REFERRING_PROFESSIONAL: 200}
OUT_OF_SCOPE = {R.REFERRING_PROFESSIONAL: 404}
SELF_STEPS = ["contact", "about-you", "what-is-happening", "children", "danger"]


def _arg(key: str) -> Any:
    return lambda world: [world[key].pk]


ROWS = [
    Row("referrals:new", REFERRER, default=403),
    # An empty submission: the form again, with its errors; nothing is created.
    Row("referrals:new", REFERRER, default=403, method="post"),
    Row("referrals:new_done", REFERRER, default=403, args=_arg("intake_own")),
    Row("referrals:new_done", OUT_OF_SCOPE, default=403, args=_arg("intake_colleague")),
    Row("referrals:mine", REFERRER, default=403),
    Row("referrals:mine_detail", REFERRER, default=403, args=_arg("intake_own")),
    # A colleague's referral (same organisation) and another organisation's: both outside scope.
    Row("referrals:mine_detail", OUT_OF_SCOPE, default=403, args=_arg("intake_colleague")),
    Row("referrals:mine_detail", OUT_OF_SCOPE, default=403, args=_arg("intake_other")),
    Row("referrals:mine_detail", OUT_OF_SCOPE, default=403, args=lambda world: [999_999]),
    # The public self-referral: open to everyone, signed in or not.
    Row("referrals:self_start", {}, default=200, anonymous=200),
    *[Row("referrals:self_step", {}, default=200, anonymous=200, args=lambda world, s=s: [s]) for s in SELF_STEPS],
    Row("referrals:self_check", {}, default=200, anonymous=200),
    # Sent with nothing started: the check page again, saying so.
    Row("referrals:self_check", {}, default=200, anonymous=200, method="post"),
    Row("referrals:self_done", {}, default=200, anonymous=200),
]


def extend_world(world: dict[str, Any]) -> None:
    hub = world["orgs"][R.TRIAGE_WORKER]
    referrer = world["users"][R.REFERRING_PROFESSIONAL]
    organisation = world["orgs"][R.REFERRING_PROFESSIONAL]
    colleague = make_member(R.REFERRING_PROFESSIONAL, organisation=organisation)
    other = make_member(R.REFERRING_PROFESSIONAL)
    world["intake_own"] = make_referral(referrer, organisation, hub=hub)
    world["intake_colleague"] = make_referral(colleague, organisation, hub=hub)
    world["intake_other"] = make_referral(other, other.memberships.get().organisation, hub=hub)


def make_referral(
    user: User, organisation: Organisation, *, hub: Organisation | None = None, **overrides: Any
) -> Referral:
    """A professional referral made by `user` for `organisation`, as the form would make it."""
    hub = (
        hub
        or Organisation.objects.filter(type=OrganisationType.HUB).first()
        or OrganisationFactory(type=OrganisationType.HUB)
    )
    values = {
        "channel": "professional",
        "source": "police",
        "received_at": timezone.now(),
        "first_name": "Alex",
        "last_name": "Example",
        "date_of_birth": date(1988, 5, 1),
        "reason": "Made up for a test.",
        "submitted": {"first_name": "Alex", "last_name": "Example", "date_of_birth": "1988-05-01", "consent": "yes"},
    }
    return referral_receive(
        incoming=Incoming(**(values | overrides)), hub=hub, referrer=user, referring_organisation=organisation
    )


def professional_data(indicator_codes: list[str] = (), *, yes: int = 0, **overrides: Any) -> dict[str, Any]:
    """A complete, valid professional referral as the browser would post it."""
    data: dict[str, Any] = {
        "form_token": "test-key-" + "a" * 24,
        "first_name": "Jane",
        "last_name": "Example",
        "date_of_birth_day": "7",
        "date_of_birth_month": "4",
        "date_of_birth_year": "1990",
        "age": "",
        "sex": "female",
        "postcode": "me4 4ab",
        "address": "",
        "ethnicity": "unknown",
        "first_language": "Polish",
        "interpreter_needed": "yes",
        "disability": "unknown",
        "safe_phone": "07700 900982",
        "safe_times": "Weekdays 10am to 2pm",
        "phone_safe": "yes",
        "voicemail_safe": "no",
        "text_safe": "yes",
        "letters_safe": "no",
        "email_safe": "unknown",
        "safe_email": "",
        "children_in_household": "1",
        "children-TOTAL_FORMS": "4",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "20",
        "abuse_types": ["physical", "coercive_control"],
        "complex_needs": ["mental_health"],
        "accommodation_needed": "no",
        "perpetrator_first_name": "Mark",
        "perpetrator_last_name": "Example",
        "perpetrator_date_of_birth_day": "",
        "perpetrator_date_of_birth_month": "",
        "perpetrator_date_of_birth_year": "",
        "relationship": "ex_partner",
        "consent": "yes",
        "person_aware": "yes",
        "police_callouts_12m": "1",
        "judgement_reason": "",
        "reason": "Assaulted last night and frightened of further harm.",
        "source": "police",
    }
    for index in range(4):
        data |= {f"children-{index}-first_name": "", f"children-{index}-age": "", f"children-{index}-school": ""}
        data[f"children-{index}-social_care"] = "unknown"
    data |= {"children-0-first_name": "Sam", "children-0-age": "6", "children-0-school": "Hill Primary"}
    data["children-0-social_care"] = "child_in_need"
    for number, code in enumerate(indicator_codes):
        data[f"dash_{code}"] = "yes" if number < yes else "not_known"
    return data | overrides
