"""Demo scenarios: the configuration a council would enter, as data.

Later issues add their synthetic records per scenario; this module holds the
areas, organisations and one demo account per role.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from safepath.areas.models import RuralUrbanClass
from safepath.core.roles import OrganisationType, Role

DEMO_PASSWORD = "safepath-demo-not-for-real-use"  # noqa: S105 - printed by `safepath demo`


@dataclass(frozen=True)
class AreaSpec:
    name: str
    code: str
    rural_urban_class: str
    adult_women: int
    adult_men: int
    postcode_districts: str
    parent: str | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    areas: list[AreaSpec]
    organisations: dict[str, tuple[str, list[str]]]  # key -> (name, type), areas
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (role, org key, full name)
    referrals_per_year: int = 0


def _accounts(prefix: str) -> list[tuple[str, str, str]]:
    return [
        (Role.TRIAGE_WORKER, "hub", "Tara Singh"),
        (Role.CASEWORKER, "provider", "Chloe Adeyemi"),
        (Role.TEAM_MANAGER, "provider", "Morgan Price"),
        (Role.VOLUNTEER, "provider", "Val Hughes"),
        (Role.MARAC_COORDINATOR, "marac", "Priya Kaur"),
        (Role.MARAC_REPRESENTATIVE, "marac", "Rob Ellis"),
        (Role.REFERRING_PROFESSIONAL, "referrer", "Dr Sam Okafor"),
        (Role.COMMISSIONER, "commissioner", "Carol Whitfield"),
        (Role.ADMINISTRATOR, "hub", "Alex Morgan"),
    ]


MEDWAY = Scenario(
    name="medway",
    title="Medway integrated domestic abuse service",
    areas=[
        AreaSpec("Medway", "E06000035", RuralUrbanClass.URBAN_CITY_TOWN, 112_000, 107_000, ""),
        AreaSpec("Chatham", "", RuralUrbanClass.URBAN_CITY_TOWN, 30_500, 29_200, "ME4 ME5", "Medway"),
        AreaSpec("Gillingham and Rainham", "", RuralUrbanClass.URBAN_CITY_TOWN, 38_000, 36_100, "ME7 ME8", "Medway"),
        AreaSpec("Rochester and Strood", "", RuralUrbanClass.URBAN_CITY_TOWN, 36_200, 34_600, "ME1 ME2", "Medway"),
        AreaSpec("Hoo Peninsula", "", RuralUrbanClass.RURAL_VILLAGE_DISPERSED, 7_300, 7_100, "ME3", "Medway"),
    ],
    organisations={
        "commissioner": ("Medway Council Public Health", OrganisationType.COMMISSIONER, ["Medway"]),
        "hub": ("Medway Domestic Abuse Hub", OrganisationType.HUB, ["Medway"]),
        "provider": ("Medway Integrated DA Service", OrganisationType.PROVIDER, ["Medway"]),
        "marac": ("Medway MARAC", OrganisationType.MARAC, ["Medway"]),
        "referrer": ("Medway Maritime Hospital", OrganisationType.REFERRING_AGENCY, ["Medway"]),
    },
    accounts=_accounts("medway"),
    referrals_per_year=4727,
)

SCENARIOS = {MEDWAY.name: MEDWAY}
DEFAULT_SCENARIO = MEDWAY.name


def demo_email(role: str) -> str:
    return f"{role.replace('_', '-')}@demo.safepath.test"
