"""Default pathways, routing rules and vocabularies. Councils change them in the app."""

from django.db import migrations

PATHWAYS = [
    ("idva", "IDVA (high risk)", "Independent domestic violence advisers for people at high risk."),
    ("outreach", "Community outreach", "Support in the community for standard and medium risk."),
    ("safe-accommodation", "Safe accommodation", "Refuge and other safe accommodation."),
    ("children", "Children and young people's worker", "Support for children in the household."),
    ("group-programme", "Group programme", "Recovery programmes such as the Freedom Programme."),
    ("volunteer", "Volunteer support", "Befriending and practical support from trained volunteers."),
    ("health-advocacy", "Health advocacy", "Help to reach health services."),
    ("perpetrator", "Perpetrator intervention", "Programmes for people causing harm."),
]

RULES = [
    ("risk_high", "idva", "High risk: refer to MARAC as well."),
    ("marac", "idva", "Meets a MARAC criterion: make sure the MARAC referral is sent."),
    ("risk_medium", "outreach", ""),
    ("risk_standard", "outreach", ""),
    ("children", "children", "Children in the household: consider a referral to children's social care."),
    ("accommodation", "safe-accommodation", "Search for safe accommodation."),
]

VOCABULARIES = {
    "referral_decline_reasons": [
        ("no_capacity", "No capacity"),
        ("not_eligible", "Does not meet the service's criteria"),
        ("out_of_area", "Lives outside the service area"),
        ("declined_support", "The person declined support"),
        ("duplicate", "Duplicate of another referral"),
        ("other", "Other reason"),
    ],
    "complex_needs": [
        ("mental_health", "Mental health"),
        ("substance_misuse", "Substance misuse"),
        ("limited_english", "Limited English"),
        ("disability", "Disability"),
        ("housing", "Housing need"),
    ],
}


def load(apps, schema_editor):
    Pathway = apps.get_model("referrals", "Pathway")
    RoutingRule = apps.get_model("referrals", "RoutingRule")
    Term = apps.get_model("core", "VocabularyTerm")
    pathways = {}
    for order, (code, name, description) in enumerate(PATHWAYS):
        pathways[code], _ = Pathway.objects.get_or_create(code=code, defaults={"name": name, "description": description, "order": order})
    for condition, code, prompt in RULES:
        RoutingRule.objects.get_or_create(condition=condition, pathway=pathways[code], defaults={"prompt": prompt})
    for vocabulary, terms in VOCABULARIES.items():
        for order, (code, label) in enumerate(terms):
            Term.objects.get_or_create(vocabulary=vocabulary, code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial"), ("core", "0002_vocabularyterm")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
