"""What can happen at a drop-in visit (the `dropin_outcomes` vocabulary). Councils change them in
the app; "referral_to_hub" is the code the report counts as a referral made
(SAFEPATH_DROPIN_REFERRAL_OUTCOME)."""

from django.db import migrations

OUTCOMES = [
    ("information_advice", "Information and advice"),
    ("safety_planning", "Safety planning"),
    ("referral_to_hub", "Referral made to the hub"),
    ("signposted", "Signposted to another service"),
]


def load(apps, schema_editor):
    Term = apps.get_model("core", "VocabularyTerm")
    for order, (code, label) in enumerate(OUTCOMES):
        Term.objects.get_or_create(vocabulary="dropin_outcomes", code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("dropins", "0001_initial"), ("core", "0002_vocabularyterm")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
