"""Referral vocabularies fixed by the import contract (INTERFACES.md) and the triage workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    POLICE = "police", _("Police")
    VICTIM_SUPPORT = "victim_support", _("Victim Support")
    HEALTH = "health", _("Health")
    GP = "gp", _("GP")
    HOSPITAL = "hospital", _("Hospital")
    CHILDREN_SOCIAL_CARE = "children_social_care", _("Children's social care")
    ADULT_SOCIAL_CARE = "adult_social_care", _("Adult social care")
    HOUSING = "housing", _("Housing")
    EDUCATION = "education", _("Education")
    PROBATION = "probation", _("Probation")
    SELF = "self", _("Self-referral")
    OTHER_AGENCY = "other_agency", _("Other agency")


class Channel(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional referral form")
    SELF = "self", _("Self-referral form")
    IMPORT = "import", _("Bulk import")


class AbuseType(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    SEXUAL = "sexual", _("Sexual")
    EMOTIONAL = "emotional", _("Emotional or psychological")
    COERCIVE_CONTROL = "coercive_control", _("Coercive control")
    ECONOMIC = "economic", _("Economic")
    STALKING = "stalking", _("Stalking")
    HARASSMENT = "harassment", _("Harassment")
    FGM = "fgm", _("Female genital mutilation (FGM)")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    HONOUR_BASED = "honour_based", _("'Honour'-based abuse")
    ONLINE = "online", _("Online or tech-facilitated")
    OTHER = "other", _("Other")


class RiskLevel(models.TextChoices):
    STANDARD = "standard", _("Standard")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Consent(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_ASKED = "not_asked", _("Not asked")


class MatchStatus(models.TextChoices):
    NEEDS_REVIEW = "needs_review", _("Check for a known person")
    AUTO_LINKED = "auto_linked", _("Linked automatically")
    CONFIRMED = "confirmed", _("Linked by triage")
    NEW_PERSON = "new_person", _("New person")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_TRIAGE = "in_triage", _("In triage")
    ACCEPTED = "accepted", _("Accepted and routed")
    SIGNPOSTED = "signposted", _("Signposted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn or no contact possible")


OPEN_STATUSES = (Status.RECEIVED, Status.IN_TRIAGE)

# Allowed status changes (STYLE.md point 5). Closed referrals are not reopened: a new
# incident is a new referral.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset({Status.IN_TRIAGE, Status.ACCEPTED, Status.SIGNPOSTED, Status.DECLINED, Status.WITHDRAWN}),
    Status.IN_TRIAGE: frozenset({Status.ACCEPTED, Status.SIGNPOSTED, Status.DECLINED, Status.WITHDRAWN}),
    Status.ACCEPTED: frozenset(),
    Status.SIGNPOSTED: frozenset(),
    Status.DECLINED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

# Vocabularies a council configures (core.VocabularyTerm.vocabulary values).
DECLINE_REASONS = "referral_decline_reasons"
COMPLEX_NEEDS = "complex_needs"
