"""Default perpetrator intervention outcomes. Councils change them in the app."""

from django.db import migrations

PERPETRATOR_OUTCOMES = [
    ("completed", "Completed the intervention"),
    ("partially_completed", "Partially completed"),
    ("did_not_engage", "Did not engage"),
    ("removed_for_risk", "Removed because of risk"),
    ("other", "Other"),
]


def load(apps, schema_editor):
    Term = apps.get_model("core", "VocabularyTerm")
    for order, (code, label) in enumerate(PERPETRATOR_OUTCOMES):
        Term.objects.get_or_create(
            vocabulary="perpetrator_outcomes", code=code, defaults={"label": label, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial"), ("core", "0002_vocabularyterm")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
