# Reporting at region scale: an area's referrals in a period (reporting.metrics.activity.referrals_in).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0001_initial"),
        ("referrals", "0005_workitem_reoffer"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["area", "received_at"], name="referral_area_received_idx"),
        ),
    ]
