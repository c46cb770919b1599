"""Default decision-making bodies, approval rules, alert windows and target populations.
Administrators change them as rows; these only give a fresh install something sensible."""

from django.db import migrations

BODIES = [
    ("officer", "Commissioning officer", 10),
    ("director", "Director", 20),
    ("lead_member", "Lead member (cabinet portfolio holder)", 30),
    ("cabinet", "Cabinet (the executive)", 40),
]
# (name, kind, months_over, first approved by, value_over, required body)
RULES = [
    ("Any extension needs a director", "extension", None, None, None, "director"),
    (
        "An extension longer than 3 months on a contract first approved by the executive needs Cabinet",
        "extension",
        3,
        "cabinet",
        None,
        "cabinet",
    ),
    ("A variation worth more than £50,000 needs a director", "variation", None, None, "50000.00", "director"),
    ("Decommissioning a service needs the lead member", "decommission", None, None, None, "lead_member"),
]
WINDOWS = [90, 30, 7]
POPULATIONS = [
    ("whole_population", "Whole population"),
    ("victims", "Victims and survivors"),
    ("children", "Children and young people"),
    ("perpetrators", "People causing harm"),
]


def load(apps, schema_editor):
    Body = apps.get_model("commissioning", "ApprovalBody")
    Rule = apps.get_model("commissioning", "ApprovalRule")
    Window = apps.get_model("commissioning", "AlertWindow")
    Population = apps.get_model("commissioning", "TargetPopulation")
    bodies = {
        code: Body.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})[0]
        for code, name, rank in BODIES
    }
    for name, kind, months, first, value, required in RULES:
        Rule.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "months_over": months,
                "first_approved_by": bodies[first] if first else None,
                "value_over": value,
                "required_body": bodies[required],
            },
        )
    for days in WINDOWS:
        Window.objects.get_or_create(days_before=days)
    for code, name in POPULATIONS:
        Population.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("commissioning", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
