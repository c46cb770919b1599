"""Demo scenarios: the configuration a council would enter, as data.

Later issues add their synthetic records per scenario; this module holds the
areas, organisations and one demo account per role.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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
class PathwaySpec:
    """A pathway a scenario's council commissions beyond the standard ones, with its settings
    (cases.PathwaySettings fields), the outcome frameworks it uses (codes) and who delivers it
    (organisation keys; work is shared between them)."""

    code: str
    name: str
    description: str
    settings: dict[str, object] = field(default_factory=dict)
    frameworks: tuple[str, ...] = ()
    providers: tuple[str, ...] = ("provider",)


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    areas: list[AreaSpec]
    organisations: dict[str, tuple[str, list[str]]]  # key -> (name, type), areas
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (role, org key, full name)
    referrals_per_year: int = 0
    # Which organisation (key) delivers each pathway (code); unnamed pathways go to "provider",
    # except the perpetrator pathway, delivered only where a scenario names a provider for it.
    pathway_providers: dict[str, str] = field(default_factory=dict)
    male_share: float = 0.12
    # Victims' ages at referral: (youngest, oldest, weight). Younger adults are over-represented,
    # as the Crime Survey's prevalence by age (DOMAIN.md) would lead one to expect.
    age_bands: tuple[tuple[int, int, int], ...] = (
        (16, 19, 6),
        (20, 24, 12),
        (25, 34, 29),
        (35, 44, 24),
        (45, 54, 16),
        (55, 64, 8),
        (65, 80, 5),
    )
    # How many children live in the household (0, 1, 2, 3): weights.
    children_weights: tuple[int, int, int, int] = (45, 25, 20, 10)
    # Extra pathways; when `main_pathway` is set every accepted referral goes to it (a single
    # specialist service) rather than to IDVA or outreach by risk.
    pathways: tuple[PathwaySpec, ...] = ()
    main_pathway: str = ""
    # Whether referrers complete the Dash checklist (a domestic abuse service) or not.
    risk_assessed: bool = True
    # Referral sources and weights, when they differ from a police-led domestic abuse service.
    sources: tuple[tuple[str, int], ...] = ()
    # Shown on the home page of the demo: what this is, and where a commissioner should look.
    introduction: str = ""
    commissioner_guide: tuple[str, ...] = ()


def _accounts(volunteers: str = "provider") -> list[tuple[str, str, str]]:
    """One account per role. The volunteer joins the organisation running the volunteer pathway."""
    return [
        (Role.TRIAGE_WORKER, "hub", "Tara Singh"),
        (Role.CASEWORKER, "provider", "Chloe Adeyemi"),
        (Role.TEAM_MANAGER, "provider", "Morgan Price"),
        (Role.VOLUNTEER, volunteers, "Val Hughes"),
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
    accounts=_accounts(),
    referrals_per_year=4727,
    introduction=(
        "Medway Council and the NHS pool £170,000 to £210,000 a year to buy one integrated domestic abuse "
        "service on a 2+2+1 contract: a single point of access, IDVAs for high risk, outreach for standard "
        "and medium risk, MARAC, a One Stop Shop and the Freedom Programme. Every figure is computed from "
        "about 4,700 synthetic referrals over the last year, recorded person by person."
    ),
    commissioner_guide=(
        "Performance: referrals by risk level and by source, the MARAC repeat rate and IDVA engagement, "
        "beside the service's 2017-18 table (4,727 referrals, 714 of them high risk).",
        "Outcomes: change from intake to exit on the Medway outcome statements, which the service could "
        "not show before.",
        "Contracts: the 2+2+1 contract, its extension deadlines and the pooled council and NHS funding.",
    ),
)


def _district(name: str, rural_urban: str, adults: int, districts: str) -> AreaSpec:
    women = round(adults * 0.51)
    return AreaSpec(name, "", rural_urban, women, adults - women, districts, "Leicester and Leicestershire")


LEICESTERSHIRE = Scenario(
    name="leicestershire",
    title="Leicester, Leicestershire and Rutland domestic and sexual violence and abuse service",
    areas=[
        AreaSpec("Leicester and Leicestershire", "", RuralUrbanClass.URBAN_CITY_TOWN, 447_000, 431_000, ""),
        _district("Leicester", RuralUrbanClass.URBAN_CITY_TOWN, 290_000, "LE1 LE2 LE3 LE4 LE5"),
        _district("Charnwood", RuralUrbanClass.URBAN_CITY_TOWN, 150_000, "LE11 LE12"),
        _district("Hinckley and Bosworth", RuralUrbanClass.RURAL_TOWN_FRINGE, 93_000, "LE10 CV13"),
        _district("North West Leicestershire", RuralUrbanClass.RURAL_TOWN_FRINGE, 85_000, "LE65 LE67 DE74"),
        _district("Blaby", RuralUrbanClass.URBAN_CITY_TOWN, 82_000, "LE9 LE19"),
        _district("Harborough", RuralUrbanClass.RURAL_VILLAGE_DISPERSED, 78_000, "LE16 LE17"),
        _district("Oadby and Wigston", RuralUrbanClass.URBAN_CITY_TOWN, 48_000, "LE18"),
        _district("Melton", RuralUrbanClass.RURAL_VILLAGE_DISPERSED, 42_000, "LE13 LE14"),
    ],
    organisations={
        "commissioner": (
            "Leicestershire County Council Public Health",
            OrganisationType.COMMISSIONER,
            ["Leicester and Leicestershire"],
        ),
        "hub": ("Leicester and Leicestershire DSVA Hub", OrganisationType.HUB, ["Leicester and Leicestershire"]),
        "provider": (
            "Soar Valley Domestic Abuse Partnership",
            OrganisationType.PROVIDER,
            ["Leicester and Leicestershire"],
        ),
        "provider_community": (
            "Wreake Community Outreach",
            OrganisationType.PROVIDER,
            ["Leicester and Leicestershire"],
        ),
        "provider_children": (
            "Charnwood Children and Families Project",
            OrganisationType.PROVIDER,
            ["Leicester and Leicestershire"],
        ),
        # Bought order by order, outside the consortium: it serves no area of its own.
        "provider_perpetrator": ("Foxton Change Programme", OrganisationType.PROVIDER, []),
        "marac": ("Leicester and Leicestershire MARAC", OrganisationType.MARAC, ["Leicester and Leicestershire"]),
        "referrer": ("Leicester Royal Infirmary", OrganisationType.REFERRING_AGENCY, ["Leicester and Leicestershire"]),
    },
    accounts=_accounts(volunteers="provider_community"),
    referrals_per_year=5200,
    # The lead provider holds high risk and refuges; partners hold community and children's work.
    pathway_providers={
        "outreach": "provider_community",
        "group-programme": "provider_community",
        "volunteer": "provider_community",
        "health-advocacy": "provider_community",
        "children": "provider_children",
        "perpetrator": "provider_perpetrator",
    },
    male_share=0.18,
    introduction=(
        "One domestic and sexual violence service across Leicester and Leicestershire, delivered by a "
        "consortium of three providers, for every victim including men. Interventions for people causing "
        "harm are bought case by case, and a £1.1 million government grant pays for safe accommodation."
    ),
    commissioner_guide=(
        "Performance: outcomes rather than output targets, by provider, ready for the scrutiny committee.",
        "Funding: how the money flows from each funder through the contract to each partner, and its share.",
        "Safe accommodation: vacancies, placements in and out of area and the annual Part 4 return.",
    ),
)


def _locality(name: str, rural_urban: str, adults: int, districts: str) -> AreaSpec:
    women = round(adults * 0.52)  # an older, more female adult population than England's
    return AreaSpec(name, "", rural_urban, women, adults - women, districts, "Dorset")


# A largely rural county: the service is demand-led but must reach every locality; refuge space
# is often found out of area; children are not always identified; a children's worker is added.
DORSET = Scenario(
    name="dorset",
    title="Dorset domestic violence and abuse service",
    areas=[
        AreaSpec("Dorset", "E06000059", RuralUrbanClass.RURAL_TOWN_FRINGE, 169_000, 156_000, ""),
        _locality("Weymouth and Portland", RuralUrbanClass.URBAN_CITY_TOWN, 54_000, "DT3 DT4 DT5"),
        _locality("West Dorset", RuralUrbanClass.RURAL_VILLAGE_DISPERSED, 86_000, "DT1 DT2 DT6 DT8"),
        _locality("North Dorset", RuralUrbanClass.RURAL_TOWN_FRINGE, 60_000, "DT10 DT11 SP7 SP8"),
        _locality("Purbeck", RuralUrbanClass.RURAL_VILLAGE_DISPERSED, 39_000, "BH19 BH20"),
        _locality("East Dorset", RuralUrbanClass.RURAL_TOWN_FRINGE, 86_000, "BH21 BH22 BH31"),
    ],
    organisations={
        "commissioner": ("Dorset Council Housing and Community Safety", OrganisationType.COMMISSIONER, ["Dorset"]),
        "hub": ("Dorset Domestic Abuse Single Point of Access", OrganisationType.HUB, ["Dorset"]),
        "provider": ("Dorset Domestic Abuse Service", OrganisationType.PROVIDER, ["Dorset"]),
        "provider_children": ("Dorset Children and Young People's DA Project", OrganisationType.PROVIDER, ["Dorset"]),
        "marac": ("Dorset MARAC", OrganisationType.MARAC, ["Dorset"]),
        "referrer": ("Dorset County Hospital", OrganisationType.REFERRING_AGENCY, ["Dorset"]),
    },
    accounts=_accounts(),
    referrals_per_year=2600,
    pathway_providers={"children": "provider_children"},
    male_share=0.14,
    # Children are identified more often once a children's worker asks about them.
    children_weights=(38, 26, 22, 14),
    introduction=(
        "A largely rural county. The service responds to demand but must reach every locality, not only "
        "the towns; refuge space is found out of area when none is free locally, and some people are moved "
        "away for safety. Members asked for children to be identified and for acronyms to be explained."
    ),
    commissioner_guide=(
        "Coverage: referrals for every 1,000 adults in each locality, rural against urban.",
        "Demand and reach: the age profile of the people using the service against the people who "
        "experience abuse, and children in the households.",
        "Safe accommodation: placements out of area and households that could not be supported.",
    ),
)

# Support for adult survivors of child sexual exploitation: three providers aligned to an NHS
# trauma hub, twelve months of support then a managed step-down, re-referral straight back to the
# previous worker, waiting lists, outcomes on health, coping and control.
ROTHERHAM = Scenario(
    name="rotherham",
    title="Rotherham support for adult survivors of child sexual exploitation",
    areas=[
        AreaSpec("Rotherham", "E08000018", RuralUrbanClass.URBAN_CITY_TOWN, 109_000, 104_000, ""),
        AreaSpec("Rotherham Central", "", RuralUrbanClass.URBAN_CITY_TOWN, 38_000, 36_500, "S60 S61 S65", "Rotherham"),
        AreaSpec(
            "Wentworth and Dearne", "", RuralUrbanClass.URBAN_CITY_TOWN, 27_000, 26_000, "S62 S63 S64", "Rotherham"
        ),
        AreaSpec("Rother Valley", "", RuralUrbanClass.RURAL_TOWN_FRINGE, 44_000, 41_500, "S25 S26 S66", "Rotherham"),
    ],
    organisations={
        "commissioner": ("Rotherham Council Public Health", OrganisationType.COMMISSIONER, ["Rotherham"]),
        "hub": ("Rotherham Trauma and Resilience Hub", OrganisationType.HUB, ["Rotherham"]),
        "provider": ("Don Valley Survivors' Support", OrganisationType.PROVIDER, ["Rotherham"]),
        "provider_mentoring": ("Dearne Women's Mentoring", OrganisationType.PROVIDER, ["Rotherham"]),
        "provider_counselling": ("Rother Counselling for Survivors", OrganisationType.PROVIDER, ["Rotherham"]),
        "marac": ("Rotherham MARAC", OrganisationType.MARAC, ["Rotherham"]),
        "referrer": ("Rotherham General Hospital", OrganisationType.REFERRING_AGENCY, ["Rotherham"]),
    },
    accounts=_accounts(),
    referrals_per_year=380,
    pathways=(
        PathwaySpec(
            "cse-survivors",
            "Support for adult survivors of child sexual exploitation",
            "Twelve months of trauma-informed support, then a managed step-down; re-referral is fast.",
            settings={
                "support_months": 12,
                "step_down_prompt_days": 42,
                "rereferral_window_months": 24,
                "rereferral_priority": "skip",
                "review_interval_days": 90,
                "caseload_low": 18,
                "caseload_high": 25,
            },
            frameworks=("rotherham",),
            providers=("provider", "provider_mentoring", "provider_counselling"),
        ),
    ),
    main_pathway="cse-survivors",
    risk_assessed=False,
    male_share=0.08,
    sources=(
        ("health", 30),
        ("self", 22),
        ("gp", 14),
        ("adult_social_care", 10),
        ("police", 8),
        ("victim_support", 6),
        ("housing", 4),
        ("probation", 3),
        ("other_agency", 3),
    ),
    age_bands=((18, 24, 18), (25, 34, 40), (35, 44, 28), (45, 54, 12), (55, 64, 2)),
    children_weights=(50, 25, 17, 8),
    introduction=(
        "Support for adult survivors of child sexual exploitation from three providers aligned to an NHS "
        "trauma and resilience hub: twelve months of support, then a managed step-down, with re-referral "
        "straight back to the previous worker when it is needed."
    ),
    commissioner_guide=(
        "Capacity: waiting lists, days to first contact and caseloads against the benchmark.",
        "Outcomes: health, ability to cope and control over decisions, from the start of support to the end.",
        "Re-referrals: how many people come back after the twelve months, and how fast they are seen.",
    ),
)

# The commissioning side of Leicestershire's review of preventative services: the same council
# and providers, no casework, the contracts, money, savings plan and options appraisal.
PREVENTION_REVIEW = replace(
    LEICESTERSHIRE,
    name="prevention-review",
    title="Leicestershire review of preventative services",
    referrals_per_year=0,
    introduction=(
        "Leicestershire County Council's review of its preventative services: £9.4 million of contracts "
        "must fall to £5.9 million through savings of £1.0 million, £0.5 million and £2.0 million over three "
        "years. Contracts are extended or decommissioned by decisions taken under the council's approval "
        "rules, and the options for what to commission next are appraised with their benefits, "
        "disadvantages and risks."
    ),
    commissioner_guide=(
        "Budgets and savings: committed spend, planned reinvestment and the gap in each year, by level of "
        "prevention and target population.",
        "Contracts: which to extend, which to decommission with a transition plan, and who must approve it.",
        "Options appraisal: the options considered and the decision taken on each.",
        "Funding: how the pooled money flows from each funder to each provider.",
    ),
)

SCENARIOS = {
    scenario.name: scenario for scenario in (MEDWAY, LEICESTERSHIRE, DORSET, ROTHERHAM, PREVENTION_REVIEW)
}
DEFAULT_SCENARIO = MEDWAY.name


def demo_email(role: str) -> str:
    return f"{role.replace('_', '-')}@demo.safepath.test"
