"""Default outcome frameworks, scales and vocabularies, in safepath's own words.

DOMAIN.md "Outcomes": the Medway outcome statements, the DVA core outcome set, abuse
stopped or reduced by type, and Rotherham's health, coping and control. Each framework is
kept short (trauma-informed: few questions, any can be skipped). No licensed tool's text
(e.g. the Outcomes Star) is shipped. Councils change all of it in the app; reloading is
safe (get_or_create), so an administrator's changes are never overwritten.
"""

from django.db import migrations

SCALES = {
    "safety-5": (
        "How safe (5 points)",
        ["Not at all safe", "Not very safe", "Somewhat safe", "Mostly safe", "Completely safe"],
    ),
    "extent-5": ("How much (5 points)", ["Not at all", "A little", "Somewhat", "Mostly", "Completely"]),
    "wellness-5": ("How well (5 points)", ["Not at all well", "Not very well", "Fairly well", "Well", "Very well"]),
    "good-5": ("How good (5 points)", ["Very poor", "Poor", "Fair", "Good", "Very good"]),
    "yes-partly-no": ("No, partly or yes", ["No", "Partly", "Yes"]),
    "abuse-change": ("Abuse stopped or reduced", ["Got worse", "No change", "Reduced", "Stopped"]),
}
# The first point's value: "No" is 0 so "Yes" is 2; the others count from 1.
SCALE_START = {"yes-partly-no": 0}

IN, RE, EX = "intake", "review", "exit"

# code: (name, description, pathway codes, [(measure code, question, hint, scale, moments)])
FRAMEWORKS = {
    "medway": (
        "Medway outcomes",
        "What the Medway integrated service reports: safety, emotional safety, knowing rights and services, "
        "health access, a safe home and reduced risk from the person causing harm.",
        ["idva", "outreach", "health-advocacy"],
        [
            ("safety", "How safe do you feel at the moment?", "", "safety-5", (IN, RE, EX)),
            (
                "emotional-safety",
                "How emotionally safe do you feel: free from fear and able to relax?",
                "",
                "safety-5",
                (IN, RE, EX),
            ),
            (
                "rights-services",
                "Do you know your rights and the services that can help you?",
                "",
                "yes-partly-no",
                (IN, EX),
            ),
            (
                "health-access",
                "Can you get the health care you need, such as a GP or dentist?",
                "",
                "yes-partly-no",
                (IN, EX),
            ),
            (
                "safe-home",
                "Have you been able to stay in, or move to, a safe home?",
                "Homelessness prevented.",
                "yes-partly-no",
                (EX,),
            ),
            ("harm-risk-reduced", "Has the risk from the person causing harm gone down?", "", "yes-partly-no", (EX,)),
        ],
    ),
    "dva-core": (
        "Domestic abuse core outcomes",
        "A short core set: feeling safe, freedom in daily life, coping as a parent or carer, children's "
        "emotional wellbeing and family relationships.",
        ["safe-accommodation", "children", "group-programme", "volunteer"],
        [
            ("feel-safe", "How safe do you feel day to day?", "", "safety-5", (IN, RE, EX)),
            (
                "daily-freedom",
                "How free do you feel to go about your daily life?",
                "For example seeing people, going out, work or study.",
                "extent-5",
                (IN, RE, EX),
            ),
            (
                "caregiver-wellbeing",
                "How well are you coping as a parent or carer?",
                "Skip as not relevant if the person does not care for children.",
                "wellness-5",
                (IN, EX),
            ),
            (
                "child-wellbeing",
                "How settled and well do the children seem emotionally?",
                "Skip as not relevant if there are no children.",
                "wellness-5",
                (IN, EX),
            ),
            ("family-relationships", "How good are relationships in the family now?", "", "good-5", (IN, EX)),
        ],
    ),
    "abuse-change": (
        "Abuse stopped or reduced",
        "Asked at the end of support: has the abuse stopped or reduced, overall and for each kind of abuse "
        "recorded on the referral (only those are asked).",
        ["idva", "outreach", "safe-accommodation", "group-programme", "volunteer"],
        [("overall", "Overall, has the abuse stopped or reduced?", "", "abuse-change", (EX,))],
    ),
    "rotherham": (
        "Health, coping and control",
        "Rotherham's outcomes for adult survivors: health, ability to cope and control over decisions. "
        "Choose the pathways that use it.",
        [],
        [
            ("health", "How is your health at the moment?", "Physical and mental health.", "good-5", (IN, RE, EX)),
            ("coping", "How well are you able to cope day to day?", "", "wellness-5", (IN, RE, EX)),
            ("control", "How much do you feel in control of decisions about your life?", "", "extent-5", (IN, RE, EX)),
        ],
    ),
}

ABUSE_TYPES = [
    ("physical", "Physical abuse"),
    ("sexual", "Sexual abuse"),
    ("emotional", "Emotional or psychological abuse"),
    ("coercive_control", "Coercive control"),
    ("economic", "Economic abuse"),
    ("stalking", "Stalking"),
    ("harassment", "Harassment"),
    ("fgm", "The risk of female genital mutilation (FGM)"),
    ("forced_marriage", "Pressure to marry (forced marriage)"),
    ("honour_based", "'Honour'-based abuse"),
    ("online", "Online or tech-facilitated abuse"),
    ("other", "Other abuse"),
]

VOCABULARIES = {
    "outcome_skip_reasons": [
        ("chose_not_to_answer", "The person chose not to answer"),
        ("not_right_time", "Not the right time to ask (ask later)"),
        ("not_relevant", "Not relevant to this person"),
        ("other", "Other reason"),
    ],
    "health_actions": [
        ("gp_registration", "GP registration"),
        ("dental_registration", "Dental registration"),
        ("sexual_health", "Sexual health"),
        ("screening", "Health screening"),
        ("immunisations", "Immunisations"),
        ("mental_health_referral", "Mental health referral"),
        ("substance_misuse", "Substance misuse service"),
        ("maternity", "Maternity care"),
    ],
}


def _scales(apps):
    Scale = apps.get_model("outcomes", "Scale")
    ScalePoint = apps.get_model("outcomes", "ScalePoint")
    scales = {}
    for code, (name, labels) in SCALES.items():
        scales[code], created = Scale.objects.get_or_create(code=code, defaults={"name": name})
        if created:
            start = SCALE_START.get(code, 1)
            ScalePoint.objects.bulk_create(
                [ScalePoint(scale=scales[code], value=start + n, label=label) for n, label in enumerate(labels)]
            )
    return scales


def _measures(framework, rows, scales, Measure):
    for order, (code, question, hint, scale, moments) in enumerate(rows):
        Measure.objects.get_or_create(
            framework=framework,
            code=code,
            defaults={
                "question": question,
                "hint": hint,
                "scale": scales[scale],
                "at_intake": "intake" in moments,
                "at_review": "review" in moments,
                "at_exit": "exit" in moments,
                "order": order,
            },
        )


def load(apps, schema_editor):
    Term = apps.get_model("core", "VocabularyTerm")
    Pathway = apps.get_model("referrals", "Pathway")
    Framework = apps.get_model("outcomes", "OutcomeFramework")
    Measure = apps.get_model("outcomes", "Measure")
    for vocabulary, terms in VOCABULARIES.items():
        for order, (code, label) in enumerate(terms):
            Term.objects.get_or_create(vocabulary=vocabulary, code=code, defaults={"label": label, "order": order})
    scales = _scales(apps)
    for order, (code, (name, description, pathways, rows)) in enumerate(FRAMEWORKS.items()):
        framework, created = Framework.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )
        if created:
            framework.pathways.set(Pathway.objects.filter(code__in=pathways))
        _measures(framework, rows, scales, Measure)
    abuse = Framework.objects.get(code="abuse-change")
    for order, (abuse_type, label) in enumerate(ABUSE_TYPES, start=1):
        Measure.objects.get_or_create(
            framework=abuse,
            code=f"abuse-{abuse_type}".replace("_", "-"),
            defaults={
                "question": f"{label}: has it stopped or reduced?",
                "scale": scales["abuse-change"],
                "at_intake": False,
                "at_exit": True,
                "abuse_type": abuse_type,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_initial"),
        ("referrals", "0002_reference_data"),
        ("core", "0002_vocabularyterm"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
