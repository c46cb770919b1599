"""Default closure reasons and pathway settings. Councils change them in the app."""

from django.db import migrations

CLOSURE_REASONS = [
    ("support_complete", "Support complete"),
    ("risk_reduced", "Risk reduced"),
    ("disengaged", "Disengaged"),
    ("moved_away", "Moved away"),
    ("transferred", "Transferred to another service"),
    ("declined", "Declined support"),
    ("died", "Died"),
]

# pathway code: (support months, caseload benchmark low, high)
SETTINGS = {
    "idva": (12, 60, 80),
    "outreach": (12, 40, 60),
    "safe-accommodation": (12, 10, 20),
    "children": (12, 25, 35),
    "group-programme": (6, 40, 60),
    "volunteer": (12, 8, 12),
    "health-advocacy": (6, 40, 60),
    "perpetrator": (12, 20, 30),
}


def load(apps, schema_editor):
    Term = apps.get_model("core", "VocabularyTerm")
    Pathway = apps.get_model("referrals", "Pathway")
    PathwaySettings = apps.get_model("cases", "PathwaySettings")
    for order, (code, label) in enumerate(CLOSURE_REASONS):
        Term.objects.get_or_create(vocabulary="case_closure_reasons", code=code, defaults={"label": label, "order": order})
    for pathway in Pathway.objects.all():
        months, low, high = SETTINGS.get(pathway.code, (12, 60, 80))
        PathwaySettings.objects.get_or_create(
            pathway=pathway, defaults={"support_months": months, "caseload_low": low, "caseload_high": high}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("referrals", "0002_reference_data"), ("core", "0002_vocabularyterm")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
