"""Default contact types and information-sharing scopes. Councils change them in the app."""

from django.db import migrations

CONTACT_TYPES = [
    ("support_session", "Support session"),
    ("safety_planning", "Safety planning"),
    ("advocacy", "Advocacy"),
    ("check_in", "Check-in"),
    ("crisis", "Crisis"),
    ("court_support", "Court support"),
    ("other", "Other"),
]

SHARING_SCOPES = [
    ("risk_information", "Risk information"),
    ("safety_plan", "Safety plan"),
    ("contact_details", "Contact details"),
    ("full_case", "Full case (everything above and the case notes)"),
]


def load(apps, schema_editor):
    Term = apps.get_model("core", "VocabularyTerm")
    for vocabulary, terms in (("contact_types", CONTACT_TYPES), ("sharing_scopes", SHARING_SCOPES)):
        for order, (code, label) in enumerate(terms):
            Term.objects.get_or_create(vocabulary=vocabulary, code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial"), ("core", "0002_vocabularyterm")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
