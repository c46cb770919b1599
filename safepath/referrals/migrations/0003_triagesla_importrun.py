import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def load_slas(apps, schema_editor):
    TriageSla = apps.get_model("referrals", "TriageSla")
    # Local protocols commonly use "contact within 2 working days"; high risk sooner.
    for level, days in (("high", 1), ("medium", 2), ("standard", 5)):
        TriageSla.objects.get_or_create(risk_level=level, defaults={"working_days": days})


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0002_reference_data"),
        ("accounts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TriageSla",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("risk_level", models.CharField(choices=[("standard", "Standard"), ("medium", "Medium"), ("high", "High")], max_length=16, unique=True)),
                ("working_days", models.PositiveSmallIntegerField()),
            ],
        ),
        migrations.CreateModel(
            name="ImportRun",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("started_at", models.DateTimeField(auto_now_add=True)),
                ("filename", models.CharField(blank=True, max_length=255)),
                ("imported", models.PositiveIntegerField(default=0)),
                ("skipped", models.PositiveIntegerField(default=0)),
                ("rejected", models.PositiveIntegerField(default=0)),
                ("rejects", models.JSONField(blank=True, default=list)),
                ("unknown_columns", models.JSONField(blank=True, default=list)),
                ("by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("hub", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation")),
            ],
        ),
        migrations.RunPython(load_slas, migrations.RunPython.noop),
    ]
