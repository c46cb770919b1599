"""People a service works with: victims and survivors, their children, people causing harm."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from safepath.people.choices import (
    Channel,
    Ethnicity,
    GenderIdentity,
    ImmigrationStatus,
    PersonKind,
    RelationshipType,
    Religion,
    Sex,
    SexualOrientation,
    SocialCare,
    YesNoUnknown,
)
from safepath.people.matching import Identity


def _choice(choices: type[models.TextChoices], default: str, label: str) -> models.CharField:
    return models.CharField(_(label), max_length=40, choices=choices.choices, default=default)


class Person(models.Model):
    SENSITIVE = True
    PERSONAL_FIELDS = ("first_name", "last_name", "date_of_birth", "address", "postcode")

    kind = models.CharField(_("kind"), max_length=32, choices=PersonKind.choices, default=PersonKind.VICTIM)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    age_estimate = models.PositiveSmallIntegerField(_("age if date of birth not known"), null=True, blank=True)
    sex = _choice(Sex, Sex.UNKNOWN, "sex")
    gender_identity = _choice(GenderIdentity, GenderIdentity.UNKNOWN, "gender identity")
    ethnicity = _choice(Ethnicity, Ethnicity.UNKNOWN, "ethnicity")
    disability = _choice(YesNoUnknown, YesNoUnknown.UNKNOWN, "disability")
    sexual_orientation = _choice(SexualOrientation, SexualOrientation.UNKNOWN, "sexual orientation")
    religion = _choice(Religion, Religion.UNKNOWN, "religion")
    first_language = models.CharField(_("first language"), max_length=60, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    immigration_status = _choice(ImmigrationStatus, ImmigrationStatus.UNKNOWN, "immigration status")
    no_recourse_to_public_funds = _choice(YesNoUnknown, YesNoUnknown.UNKNOWN, "no recourse to public funds")
    address = models.TextField(_("address"), blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Set when this record was merged into another; reversible (see PersonMerge).
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=PersonKind.values), name="person_kind_valid"),
            models.CheckConstraint(condition=~models.Q(merged_into=models.F("id")), name="person_not_merged_into_self"),
        ]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return f"Person {self.pk}"

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth:
            dob = self.date_of_birth
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        return self.age_estimate

    def identity(self) -> Identity:
        others = tuple((n.first_name, n.last_name) for n in self.other_names.all())
        return Identity(self.first_name, self.last_name, self.date_of_birth, self.postcode, others)


class PersonName(models.Model):
    """Other names used: previous (e.g. before marriage), known-as, or alternative spellings."""

    class Kind(models.TextChoices):
        PREVIOUS = "previous", _("Previous name")
        KNOWN_AS = "known_as", _("Also known as")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.KNOWN_AS)


class PersonKey(models.Model):
    """Blocking keys for known-person matching (people/matching.py)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="match_keys")
    key = models.CharField(max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="person_key_unique")]
        # Covering index: candidate search reads person ids by key without touching the table.
        indexes = [models.Index(fields=["key", "person"], name="person_key_lookup_idx")]


class SafeContact(models.Model):
    """How a person can be contacted safely. Unknown means unsafe: nothing is sent until marked safe."""

    SENSITIVE = True

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="safe_contact")
    safe_phone = models.CharField(_("safe phone number"), max_length=30, blank=True)
    safe_times = models.CharField(_("safe times to contact"), max_length=200, blank=True)
    phone_safe = models.BooleanField(_("calls are safe"), null=True)
    voicemail_safe = models.BooleanField(_("voicemail is safe"), null=True)
    text_safe = models.BooleanField(_("text messages are safe"), null=True)
    letters_safe = models.BooleanField(_("letters are safe"), null=True)
    email_safe = models.BooleanField(_("email is safe"), null=True)
    safe_email = models.EmailField(_("safe email address"), blank=True)
    safe_word = models.CharField(_("safe word"), max_length=60, blank=True)
    notes = models.TextField(_("other safety notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    FLAGS = {
        Channel.PHONE: "phone_safe",
        Channel.VOICEMAIL: "voicemail_safe",
        Channel.TEXT: "text_safe",
        Channel.LETTER: "letters_safe",
        Channel.EMAIL: "email_safe",
    }

    def refusal(self, channel: str) -> str | None:
        """Why this channel must not be used, or None when it is marked safe."""
        flag = getattr(self, self.FLAGS[Channel(channel)])
        label = Channel(channel).label.lower()
        if flag is None:
            return str(_("Nobody has confirmed that %(channel)s is safe for this person.") % {"channel": label})
        if flag is False:
            return str(_("This person has said %(channel)s is not safe.") % {"channel": label})
        return None


class Relationship(models.Model):
    """Links a victim to a person causing harm or to a child."""

    class Kind(models.TextChoices):
        PERSON_CAUSING_HARM = "person_causing_harm", _("Person causing harm")
        CHILD = "child", _("Child")

    victim = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_as_other")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    relationship = models.CharField(max_length=32, choices=RelationshipType.choices, blank=True)
    lives_in_household = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["victim", "other", "kind"], name="relationship_unique"),
            models.CheckConstraint(condition=~models.Q(victim=models.F("other")), name="relationship_not_self"),
        ]


class ChildDetails(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="child_details")
    school = models.CharField(_("school or nursery"), max_length=200, blank=True)
    social_care = models.CharField(_("children's social care"), max_length=32, choices=SocialCare.choices, default=SocialCare.UNKNOWN)


class PersonMerge(models.Model):
    """Two records found to be one person. Undoing restores both (undone_at set)."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_merged")
    by_user_id = models.BigIntegerField(null=True)
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=255)
    moved = models.JSONField(default=dict)  # {"referrals.referral": [ids], ...} moved to `kept`, for undo
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by_user_id = models.BigIntegerField(null=True, blank=True)
