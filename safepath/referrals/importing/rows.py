"""Validating one import row: an `Incoming` referral, or the plain-English reasons it cannot be imported.

Reasons never repeat the values, which may be personal data: they name the column and what it needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from safepath.areas.models import Area
from safepath.people.choices import RelationshipType, Sex
from safepath.people.matching import postcode_compact
from safepath.referrals.choices import AbuseType, Channel, Consent, RiskLevel, Source
from safepath.referrals.importing.csvfile import COLUMNS
from safepath.referrals.services import Incoming

LONDON = ZoneInfo("Europe/London")
NAME_MAX = 100
SOURCE_REF_MAX = 100
OLDEST_AGE_YEARS = 120
# UK postcode shape (outward code, then inward digit and two letters), after removing spaces.
POSTCODE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2})$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WHOLE_NUMBER = re.compile(r"^\d+$")
YES_NO = {"yes": True, "no": False, "": None}
# The vocabularies, read once: each TextChoices `.values` builds a new list every time it is read.
SOURCES, SEXES, RISK_LEVELS = tuple(Source.values), tuple(Sex.values), tuple(RiskLevel.values)
RELATIONSHIPS, CONSENTS, ABUSE_TYPES = tuple(RelationshipType.values), tuple(Consent.values), tuple(AbuseType.values)


def _choices(values: Iterable[str]) -> str:
    values = list(values)
    return ", ".join(values[:-1]) + " or " + values[-1]


class RowValidator:
    """One row to an `Incoming`, or the reasons it cannot be imported. Caches the configured areas by name."""

    def __init__(self, *, now: datetime | None = None) -> None:
        self.now = now or timezone.now()
        self._areas: dict[str, Area] | None = None

    def areas(self) -> dict[str, Area]:
        if self._areas is None:
            self._areas = {area.name.strip().casefold(): area for area in Area.objects.select_related("parent")}
        return self._areas

    def __call__(self, row: Mapping[str, str]) -> Incoming | list[str]:
        values = {name: (row.get(name) or "").strip() for name in COLUMNS}
        reasons: list[str] = []
        if any("\x00" in v for v in values.values()):
            return ["this line contains a NUL character"]
        source = self._choice(values, "source", SOURCES, reasons, required=True)
        source_ref = self._text(values, "source_ref", SOURCE_REF_MAX, reasons, required=True)
        received_at = self._received_at(values["received_at"], reasons)
        first_name = self._text(values, "first_name", NAME_MAX, reasons, required=True)
        last_name = self._text(values, "last_name", NAME_MAX, reasons, required=True)
        date_of_birth = self._birth_date(values, "date_of_birth", received_at, reasons)
        incoming = Incoming(
            channel=Channel.IMPORT,
            source=source,
            source_ref=source_ref,
            received_at=received_at,  # type: ignore[arg-type]
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            sex=self._choice(values, "sex", SEXES, reasons) or Sex.UNKNOWN,
            postcode=self._postcode(values["postcode"], reasons),
            area=self._area(values["area"], reasons),
            sent_risk_level=self._choice(values, "risk_level", RISK_LEVELS, reasons),
            dash_score=self._number(values, "dash_score", 24, reasons),
            professional_judgement_high=self._yes_no(values, "professional_judgement_high", reasons),
            police_callouts_12m=self._number(values, "police_callouts_12m", 999, reasons),
            children_in_household=self._number(values, "children_in_household", 30, reasons),
            abuse_types=self._abuse_types(values["abuse_types"], reasons),
            relationship=self._choice(values, "relationship", RELATIONSHIPS, reasons),
            consent=self._choice(values, "consent", CONSENTS, reasons) or Consent.NOT_ASKED,
            perpetrator=self._perpetrator(values, received_at, reasons),
            submitted={"import": {name: value for name, value in values.items() if value}},
        )
        return reasons or incoming

    @staticmethod
    def _text(values: dict[str, str], name: str, limit: int, reasons: list[str], required: bool = False) -> str:
        value = values[name]
        if required and not value:
            reasons.append(f"{name} is missing")
        elif len(value) > limit:
            reasons.append(f"{name} is longer than {limit} characters")
        return value

    @staticmethod
    def _choice(
        values: dict[str, str], name: str, allowed: tuple[str, ...], reasons: list[str], required: bool = False
    ) -> str:
        value = values[name].lower()
        if not value:
            if required:
                reasons.append(f"{name} is missing")
            return ""
        if value not in allowed:
            reasons.append(f"{name} must be {_choices(allowed)}" + ("" if required else ", or blank"))
        return value

    @staticmethod
    def _number(values: dict[str, str], name: str, highest: int, reasons: list[str]) -> int | None:
        value = values[name]
        if not value:
            return None
        if not WHOLE_NUMBER.match(value) or int(value) > highest:
            reasons.append(f"{name} must be a whole number from 0 to {highest}, or blank")
            return None
        return int(value)

    @staticmethod
    def _yes_no(values: dict[str, str], name: str, reasons: list[str]) -> bool | None:
        value = values[name].lower()
        if value not in YES_NO:
            reasons.append(f"{name} must be yes, no or blank")
        return YES_NO.get(value)

    def _received_at(self, value: str, reasons: list[str]) -> datetime | None:
        if not value:
            reasons.append("received_at is missing")
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            reasons.append(
                "received_at must be an ISO 8601 date or date-time, for example 2026-03-10 or 2026-03-10T14:30"
            )
            return None
        if moment.tzinfo is None:  # a date, or a local time: Europe/London
            moment = moment.replace(tzinfo=LONDON)
        if moment > self.now + timedelta(minutes=5):
            reasons.append("received_at is in the future")
            return None
        return moment

    @staticmethod
    def _birth_date(values: dict[str, str], name: str, received_at: datetime | None, reasons: list[str]) -> date | None:
        value = values[name]
        if not value:
            return None
        try:
            born = date.fromisoformat(value) if ISO_DATE.match(value) else None
        except ValueError:
            born = None
        if born is None:
            reasons.append(f"{name} must be a real date in the form YYYY-MM-DD, or blank")
            return None
        on = received_at.astimezone(LONDON).date() if received_at else timezone.localdate()
        if born > on:
            reasons.append(f"{name} is after received_at")
        elif on.year - born.year > OLDEST_AGE_YEARS:
            reasons.append(f"{name} is more than {OLDEST_AGE_YEARS} years before received_at")
        return born

    @staticmethod
    def _postcode(value: str, reasons: list[str]) -> str:
        compact = postcode_compact(value)
        if compact and not POSTCODE.match(compact):
            reasons.append("postcode is not a UK postcode")
            return ""
        return compact

    def _area(self, value: str, reasons: list[str]) -> Area | None:
        if not value:
            return None
        area = self.areas().get(value.casefold())
        if area is None:
            reasons.append("area is not the name of a configured area (leave it blank to use the postcode)")
        return area

    @staticmethod
    def _abuse_types(value: str, reasons: list[str]) -> list[str]:
        types = [part.strip().lower() for part in value.split(";") if part.strip()]
        if any(t not in ABUSE_TYPES for t in types):
            reasons.append(f"abuse_types must be a ;-separated list from: {', '.join(ABUSE_TYPES)}")
            return []
        return sorted(set(types))

    def _perpetrator(
        self, values: dict[str, str], received_at: datetime | None, reasons: list[str]
    ) -> dict[str, Any] | None:
        first = self._text(values, "perpetrator_first_name", NAME_MAX, reasons)
        last = self._text(values, "perpetrator_last_name", NAME_MAX, reasons)
        born = self._birth_date(values, "perpetrator_date_of_birth", received_at, reasons)
        if not (first or last):
            return None
        return {"first_name": first, "last_name": last, "date_of_birth": born}
