"""The adult risk checklist (our own short wording of each indicator topic) and default thresholds."""

from datetime import date

from django.db import migrations

ADULT_INDICATORS = [
    ("injury", "Injured in the current incident"),
    ("very_frightened", "Very frightened"),
    ("fears_further_harm", "Afraid of further injury, violence or of being killed"),
    ("isolated", "Cut off from family or friends"),
    ("depressed_suicidal", "Feeling depressed or having thoughts of suicide"),
    ("separation", "Separated, or tried to separate, in the past year"),
    ("child_contact_conflict", "Conflict over contact with children"),
    ("stalking", "Constantly contacted, followed, watched or harassed"),
    ("pregnancy", "Pregnant or had a baby in the last 18 months"),
    ("more_often", "Abuse happening more often"),
    ("getting_worse", "Abuse getting worse"),
    ("controlling_jealous", "Controlling behaviour or extreme jealousy"),
    ("weapons", "Weapons or objects used to hurt"),
    ("threats_to_kill", "Threats to kill them or someone else"),
    ("strangulation", "Strangled, choked, suffocated or held under water"),
    ("sexual_abuse", "Sexual abuse or degrading sexual behaviour"),
    ("other_threat", "Threatened by, or afraid of, another person too"),
    ("hurt_others", "The person causing harm has hurt others (children, relatives, ex-partners)"),
    ("animal_cruelty", "The person causing harm has hurt an animal or pet"),
    ("financial_issues", "Money problems or financial control"),
    ("substance_mental_health", "The person causing harm has had drug, alcohol or mental health problems this year"),
    ("suicide_threats", "The person causing harm has threatened or attempted suicide"),
    ("breached_orders", "The person causing harm has broken bail, an injunction or another agreement"),
    ("criminal_history", "The person causing harm has a criminal history, including violence"),
]


def load(apps, schema_editor):
    Instrument = apps.get_model("risk", "Instrument")
    Indicator = apps.get_model("risk", "Indicator")
    ThresholdSet = apps.get_model("risk", "ThresholdSet")
    adult, _ = Instrument.objects.get_or_create(
        code="dash-adult", version=1, defaults={"name": "Risk checklist (adult)", "min_age": 16, "effective_from": date(2009, 1, 1)}
    )
    for number, (code, text) in enumerate(ADULT_INDICATORS, start=1):
        Indicator.objects.get_or_create(instrument=adult, number=number, defaults={"code": code, "text": text})
    ThresholdSet.objects.get_or_create(area=None, effective_from=date(2000, 1, 1))


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
