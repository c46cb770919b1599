"""Plain-language definitions of every figure, keyed as in the report's JSON. Shown beside the
figure on the dashboard and written into every export, so a number never travels without its
meaning."""

from __future__ import annotations

DEFINITIONS: dict[str, str] = {
    "referrals.total": "Referrals received in the period (by the date and time received), whatever happened to them.",
    "referrals.by_risk": "Those referrals by the risk level the rules gave them when received "
    "(the highest of the sender's grading, the Dash score and police incidents).",
    "referrals.by_source": "Those referrals by who sent them (self-referrals are counted as such).",
    "referrals.unique_people": "Different people among those referrals, after matching a referral to a person "
    "already known (merged records count once).",
    "referrals.re_referrals_12m": "Referrals in the period for a person who had an earlier referral in the "
    "12 calendar months before it (from any area).",
    "marac.cases": "Referrals received in the period that met a MARAC criterion (high risk, or a repeat).",
    "marac.repeats": "MARAC cases where the same person had a MARAC referral in the 12 months before.",
    "marac.repeat_rate": "Repeats as a share of MARAC cases (national figure 31%).",
    "idva.referrals": "Cases on the IDVA pathway opened in the period.",
    "idva.engaged": "Those IDVA cases where a first successful contact under the pathway's engagement rule "
    "has been made (so far).",
    "idva.engagement_rate": "Engaged IDVA cases as a share of IDVA cases opened.",
    "waiting.median_days_to_first_contact": "Over cases opened in the period that have had a first contact: "
    "the middle number of days from the case being opened to the first contact made with the person.",
    "waiting.cases_with_first_contact": "Cases opened in the period that have had a first contact "
    "(the cases the median is taken over).",
    "waiting.declined_no_capacity": "Routed referrals a provider declined in the period because it had no capacity.",
    "waiting.by_pathway": "Cases opened by the end of the period and, at its end, not yet allocated to a worker "
    "nor closed.",
    "capacity.caseloads": "Open cases held by each key worker now, averaged over workers with any, against the "
    "pathway's caseload benchmark (about 60 to 80 for a full-time IDVA).",
    "programmes.attendees": "Places on group programmes (a person in a group) with at least one session "
    "attended in the period.",
    "programmes.attendances": "Sessions attended in the period, one per person per session.",
    "programmes.completed": "Places on group programmes completed in the period.",
    "outcomes.measures": "Cases closed in the period that answered a question both at intake and at exit: how "
    "many were better, the same or worse at exit (first intake answer against the latest exit answer; "
    "skipped questions left out).",
    "outcomes.improved_rate": "Cases better at exit as a share of the cases compared on that question.",
    "outcomes.abuse_stopped_or_reduced": 'Cases closed in the period that answered "has the abuse stopped or '
    'reduced" at exit, and those that said it had stopped or reduced.',
    "outcomes.risk_level_change": "Cases closed in the period that came from a referral: risk level on the "
    "referral against the risk level when the case closed.",
    "demand.people_by_age_band_and_sex": "Different people referred in the period by age on the period's last "
    "day (from the date of birth, else the estimated age) and by sex.",
    "demand.reach": "People referred as a share of the people expected to experience domestic abuse in a year: "
    "the area's adults (16 and over) times the reference rate (Crime Survey for England and Wales). "
    "Most victims never reach a service, so a low share is expected; the trend matters more.",
    "demand.reference_rates": "Share of each age group expected to experience domestic abuse in a year "
    "(configurable reference rates), beside the share of people referred in that group.",
    "demand.children": "Referrals in the period recording one or more children in the household, and the "
    "children recorded on them (a household referred twice counts twice).",
    "demand.complex_needs": "Referrals in the period recording each complex need (a referral may record "
    "several, so these do not add up).",
    "coverage.by_area": "Referrals received in the period recorded against each area itself (not the areas inside "
    "it), the different people among them, and both per 1,000 adults (16 and over) living there. An area made of "
    "other areas is shown through its parts. Referrals with no area are not counted here.",
    "coverage.rural_urban": "The same for rural areas (town and fringe, village and dispersed) against urban ones, "
    "using each area's rural-urban classification.",
    "trends.by_month": "Referrals, high-risk referrals and MARAC cases received in each calendar month.",
}


def definition(key: str) -> str:
    return DEFINITIONS.get(key, "")
