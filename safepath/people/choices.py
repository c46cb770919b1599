"""Vocabularies for people. National standards (ONS 2021 categories) live here as choices;
local vocabularies are configuration (core.VocabularyTerm)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonKind(models.TextChoices):
    VICTIM = "victim", _("Victim or survivor")
    CHILD = "child", _("Child")
    PERSON_CAUSING_HARM = "person_causing_harm", _("Person causing harm")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class GenderIdentity(models.TextChoices):
    SAME_AS_SEX = "same_as_sex", _("Same as sex registered at birth")
    TRANS_WOMAN = "trans_woman", _("Trans woman")
    TRANS_MAN = "trans_man", _("Trans man")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("Another gender identity")
    UNKNOWN = "unknown", _("Not known")
    PREFER_NOT = "prefer_not_to_say", _("Prefers not to say")


class Ethnicity(models.TextChoices):
    """ONS Census 2021 ethnic groups (England and Wales)."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", _("Asian: Bangladeshi")
    ASIAN_CHINESE = "asian_chinese", _("Asian: Chinese")
    ASIAN_INDIAN = "asian_indian", _("Asian: Indian")
    ASIAN_PAKISTANI = "asian_pakistani", _("Asian: Pakistani")
    ASIAN_OTHER = "asian_other", _("Asian: any other Asian background")
    BLACK_AFRICAN = "black_african", _("Black: African")
    BLACK_CARIBBEAN = "black_caribbean", _("Black: Caribbean")
    BLACK_OTHER = "black_other", _("Black: any other Black background")
    MIXED_WHITE_ASIAN = "mixed_white_asian", _("Mixed: White and Asian")
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", _("Mixed: White and Black African")
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean", _("Mixed: White and Black Caribbean")
    MIXED_OTHER = "mixed_other", _("Mixed: any other mixed background")
    WHITE_BRITISH = "white_british", _("White: English, Welsh, Scottish, Northern Irish or British")
    WHITE_IRISH = "white_irish", _("White: Irish")
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", _("White: Gypsy or Irish Traveller")
    WHITE_ROMA = "white_roma", _("White: Roma")
    WHITE_OTHER = "white_other", _("White: any other White background")
    OTHER_ARAB = "other_arab", _("Other ethnic group: Arab")
    OTHER_ANY = "other_any", _("Other ethnic group: any other")
    UNKNOWN = "unknown", _("Not known")
    PREFER_NOT = "prefer_not_to_say", _("Prefers not to say")


# Groups counted as Black, Asian or minoritised in MARAC returns.
MINORITISED_ETHNICITIES = frozenset(
    e.value for e in Ethnicity if e not in {Ethnicity.WHITE_BRITISH, Ethnicity.UNKNOWN, Ethnicity.PREFER_NOT}
)


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known")
    PREFER_NOT = "prefer_not_to_say", _("Prefers not to say")


class SexualOrientation(models.TextChoices):
    HETEROSEXUAL = "heterosexual", _("Straight or heterosexual")
    GAY_LESBIAN = "gay_lesbian", _("Gay or lesbian")
    BISEXUAL = "bisexual", _("Bisexual")
    OTHER = "other", _("Another sexual orientation")
    UNKNOWN = "unknown", _("Not known")
    PREFER_NOT = "prefer_not_to_say", _("Prefers not to say")


class Religion(models.TextChoices):
    """ONS Census 2021 religion categories."""

    NONE = "none", _("No religion")
    CHRISTIAN = "christian", _("Christian")
    BUDDHIST = "buddhist", _("Buddhist")
    HINDU = "hindu", _("Hindu")
    JEWISH = "jewish", _("Jewish")
    MUSLIM = "muslim", _("Muslim")
    SIKH = "sikh", _("Sikh")
    OTHER = "other", _("Any other religion")
    UNKNOWN = "unknown", _("Not known")
    PREFER_NOT = "prefer_not_to_say", _("Prefers not to say")


class ImmigrationStatus(models.TextChoices):
    BRITISH_IRISH = "british_irish", _("British or Irish citizen")
    SETTLED = "settled", _("Settled status or indefinite leave")
    PRE_SETTLED = "pre_settled", _("Pre-settled status")
    VISA = "visa", _("On a visa (for example spouse or work)")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    REFUGEE = "refugee", _("Refugee or humanitarian protection")
    NO_STATUS = "no_status", _("No current status")
    UNKNOWN = "unknown", _("Not known")


class RelationshipType(models.TextChoices):
    INTIMATE_PARTNER = "intimate_partner", _("Intimate partner")
    EX_PARTNER = "ex_partner", _("Ex-partner")
    FAMILY_MEMBER = "family_member", _("Family member")
    OTHER = "other", _("Other")


class SocialCare(models.TextChoices):
    NONE = "none", _("None")
    EARLY_HELP = "early_help", _("Early Help")
    CHILD_IN_NEED = "child_in_need", _("Child in Need")
    CHILD_PROTECTION = "child_protection", _("Child Protection")
    UNKNOWN = "unknown", _("Not known")


class Channel(models.TextChoices):
    """Ways of contacting a person; each must be marked safe before it is used."""

    PHONE = "phone", _("Phone call")
    VOICEMAIL = "voicemail", _("Voicemail")
    TEXT = "text", _("Text message")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("Email")
