"""Default reference rates for reach analysis (DOMAIN.md, "Prevalence and disclosure control").
Administrators change them when a new Crime Survey year is published."""

from decimal import Decimal

from django.db import migrations

CSEW_2025 = "Crime Survey for England and Wales, year ending March 2025"
CSEW_2024 = "Crime Survey for England and Wales, year ending March 2024"

RATES = [
    # code, label, sex, age_from, age_to, percent, source
    ("adults", "Adults aged 16 and over", "all", 16, None, "7.8", CSEW_2025),
    ("women", "Women aged 16 and over", "female", 16, None, "9.5", CSEW_2024),
    ("men", "Men aged 16 and over", "male", 16, None, "6.5", CSEW_2024),
    ("age_16_19", "People aged 16 to 19", "all", 16, 19, "18.0", CSEW_2025),
    ("age_20_24", "People aged 20 to 24", "all", 20, 24, "13.0", CSEW_2025),
]


def load(apps, schema_editor):
    ReferenceRate = apps.get_model("reporting", "ReferenceRate")
    for order, (code, label, sex, low, high, percent, source) in enumerate(RATES):
        ReferenceRate.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "sex": sex,
                "age_from": low,
                "age_to": high,
                "percent": Decimal(percent),
                "source": source,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
