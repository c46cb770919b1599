"""Writes for how a provider organises case work: its teams, and the per-pathway settings
(support period, re-referral window, engagement rule, review interval, caseload benchmark)
an administrator sets. Validated, transactional, audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from safepath.accounts.models import Membership, User
from safepath.cases.choices import EngagementRule
from safepath.cases.choices import ReReferralPriority as Priority
from safepath.cases.models import PathwaySettings, Team
from safepath.cases.selectors import WORKER_ROLES, settings_for
from safepath.core.audit import Action, audit_event
from safepath.core.roles import Role
from safepath.referrals.models import Pathway

# Who may belong to a team: the provider's caseworkers, managers and volunteers.
TEAM_ROLES = {*WORKER_ROLES, Role.VOLUNTEER}


# --- teams -------------------------------------------------------------------------------


def _team_members(organisation_id: int, members: Iterable[User]) -> list[User]:
    members = list(members)
    staff = set(
        Membership.objects.filter(
            organisation_id=organisation_id,
            role__in=TEAM_ROLES,
            is_active=True,
            user__is_active=True,
            user__in=members,
        ).values_list("user_id", flat=True)
    )
    if any(m.pk not in staff for m in members):
        raise ValidationError({"members": _("Choose people who work in your organisation.")})
    return members


def _team_name(organisation_id: int, name: str, exclude: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Enter the team's name.")})
    if Team.objects.filter(organisation_id=organisation_id, name__iexact=name).exclude(pk=exclude).exists():
        raise ValidationError({"name": _("Your organisation already has a team with this name.")})
    return name


@transaction.atomic
def team_create(*, request: HttpRequest | None, organisation_id: int, name: str, members: Iterable[User] = ()) -> Team:
    """A new team at a provider, with members from its active staff."""
    team = Team.objects.create(organisation_id=organisation_id, name=_team_name(organisation_id, name))
    team.members.set(_team_members(organisation_id, members))
    audit_event(action=Action.CREATE, request=request, obj=team)
    return team


@transaction.atomic
def team_update(
    *, request: HttpRequest | None, team: Team, name: str, members: Iterable[User], is_active: bool = True
) -> Team:
    """Rename a team, change who is in it, or stop using it. Former staff stay members until
    removed; only current staff can be added."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    team.name = _team_name(team.organisation_id, name, exclude=team.pk)
    team.is_active = is_active
    members = list(members)
    current = set(team.members.values_list("pk", flat=True))
    _team_members(team.organisation_id, [m for m in members if m.pk not in current])
    team.save()
    team.members.set(members)
    audit_event(action=Action.UPDATE, request=request, obj=team)
    return team


# --- pathway settings --------------------------------------------------------------------

# field: (lowest, highest) a council may set.
SETTING_RANGES: dict[str, tuple[int, int]] = {
    "support_months": (1, 60),
    "step_down_prompt_days": (0, 365),
    "rereferral_window_months": (0, 60),
    "review_interval_days": (7, 365),
    "caseload_low": (1, 500),
    "caseload_high": (1, 500),
}


def _check_settings(values: dict[str, object]) -> None:
    errors: dict[str, str] = {}
    for name, (low, high) in SETTING_RANGES.items():
        value = values[name]
        if not isinstance(value, int) or not low <= value <= high:
            errors[name] = _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
    if errors:
        raise ValidationError(errors)
    if values["caseload_low"] > values["caseload_high"]:  # type: ignore[operator]
        errors["caseload_high"] = _("The high end of the benchmark must be at least the low end.")
    if values["step_down_prompt_days"] >= values["support_months"] * 28:  # type: ignore[operator]
        errors["step_down_prompt_days"] = _("The step-down prompt must come before the support period ends.")
    if values["rereferral_priority"] not in Priority.values:
        errors["rereferral_priority"] = _("Choose what happens to a re-referral.")
    if values["engagement_rule"] not in EngagementRule.values:
        errors["engagement_rule"] = _("Choose what counts as engagement.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pathway_settings_update(
    *,
    request: HttpRequest | None,
    pathway: Pathway,
    support_months: int,
    step_down_prompt_days: int,
    rereferral_window_months: int,
    rereferral_priority: str,
    engagement_rule: str,
    review_interval_days: int,
    caseload_low: int,
    caseload_high: int,
) -> PathwaySettings:
    """Change how a pathway runs. New values apply from now: cases already allocated keep the
    support period they were given."""
    values: dict[str, object] = {
        "support_months": support_months,
        "step_down_prompt_days": step_down_prompt_days,
        "rereferral_window_months": rereferral_window_months,
        "rereferral_priority": rereferral_priority,
        "engagement_rule": engagement_rule,
        "review_interval_days": review_interval_days,
        "caseload_low": caseload_low,
        "caseload_high": caseload_high,
    }
    _check_settings(values)
    settings_for(pathway)  # make sure the row exists
    settings = PathwaySettings.objects.select_for_update().get(pathway=pathway)
    changed = sorted(name for name, value in values.items() if getattr(settings, name) != value)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    if changed:
        audit_event(action=Action.UPDATE, request=request, obj=settings, reason="changed " + ", ".join(changed))
    return settings
