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
    "outcome_groups.closed": "Cases closed in the period, by the pathway they were on and by the provider "
    "organisation that supported the person (each case has one of each).",
    "outcome_groups.improved": "Of those cases, the ones that answered at least one question both at intake and "
    "at exit (first intake answer against the latest exit answer; skipped questions left out), and how many of "
    "them were better at exit on at least one question.",
    "outcome_groups.abuse_stopped_or_reduced": 'Of those cases, the ones that answered "has the abuse stopped or '
    'reduced" at exit, and how many said it had stopped or reduced.',
    "outcome_groups.risk_lower": "Of those cases, the ones that came from a referral, and how many had a lower "
    "risk level when the case closed than on the referral.",
    "outcome_groups.suppression": "Figures hidden in one breakdown cannot be worked out from the other or from "
    "the outcomes section's totals; where the outcomes section hides an area-wide figure, it is hidden here for "
    "every pathway and provider. A number out of a base is hidden when the rest of the base is small.",
    "protected.people": "Different people referred in the period (after matching; merged records count once), "
    "and how many of them have each characteristic recorded, as a share of all of them (people with the "
    "characteristic not recorded count in the base, as in the MARAC dataset).",
    "protected.characteristics": "Definitions as in the MARAC dataset: Black, Asian or minoritised is any "
    "recorded ethnicity other than White British (so White Irish, Gypsy, Traveller, Roma and other White "
    "backgrounds count; not known does not); LGBT+ is a recorded sexual orientation of gay or lesbian, bisexual "
    "or another, or a gender identity of trans, non-binary or another; disabled is a recorded disability; "
    "aged 16 or 17 is the age on the day a referral in the period was received.",
    "protected.national_profile": "The national share is that of MARAC cases (SafeLives national dataset, as "
    "configured); people referred here include standard and medium risk, so some difference is expected. "
    '"Below" or "above" the national profile means the national share lies outside the range the area\'s share '
    "could reasonably take by chance (a 95% Wilson interval); otherwise it is in line with it.",
    "contacts.total": "Visits to a one-stop shop or drop-in in the period (by the date of the visit), counted in the "
    "area of the venue. One visit is one person coming once; most visitors give no name, so people are not matched.",
    "contacts.new": "Visits by someone coming for the first time (as the visitor told the worker), and their share "
    "of all visits: roughly, the new people the drop-ins reached.",
    "contacts.returning": "Visits by someone who had been before.",
    "contacts.referrals_to_hub": "Visits at which a referral was made to the single point of access (hub), and their "
    "share of all visits.",
    "contacts.linked_to_case": "Visits by someone who already had a case with the provider (linked to that case).",
    "contacts.outcomes": "Visits at which each thing happened (configurable list); one visit may record several, so "
    "these do not add up.",
    "contacts.by_venue": "The same visits by venue (with the venue's area), new and returning.",
    "contacts.by_month": "The same visits in each calendar month, new and returning.",
}


def definition(key: str) -> str:
    return DEFINITIONS.get(key, "")
