"""National MARAC figures (DOMAIN.md: SafeLives, 12 months to September 2024) as configuration:
administrators update them when a new year's figures are published."""

from django.db import migrations

PERIOD = "12 months to September 2024"
SOURCE = "SafeLives MARAC national dataset"
FIGURES = [
    ("cases", "MARAC cases", "119985", "count"),
    ("cases_per_10000_adult_women", "Cases per 10,000 adult women", "47", "per_10000"),
    ("recommended_per_10000", "Recommended cases per 10,000 adult women", "40", "per_10000"),
    ("repeat_rate", "Repeat cases", "31", "percent"),
    ("non_police_share", "Referrals from partner agencies (not the police)", "36.1", "percent"),
    ("minoritised_rate", "Victims who are Black, Asian or minoritised", "14.1", "percent"),
    ("lgbt_rate", "Victims who are LGBT+", "1.6", "percent"),
    ("disabled_rate", "Victims who are disabled", "10.1", "percent"),
    ("male_rate", "Victims who are male", "6.4", "percent"),
    ("aged_16_17_rate", "Victims aged 16 or 17", "1.3", "percent"),
]


def load(apps, schema_editor):
    figure = apps.get_model("marac", "NationalFigure")
    for code, label, value, unit in FIGURES:
        figure.objects.update_or_create(
            code=code, defaults={"label": label, "value": value, "unit": unit, "period": PERIOD, "source": SOURCE}
        )


def unload(apps, schema_editor):
    apps.get_model("marac", "NationalFigure").objects.filter(code__in=[f[0] for f in FIGURES]).delete()


class Migration(migrations.Migration):
    dependencies = [("marac", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
