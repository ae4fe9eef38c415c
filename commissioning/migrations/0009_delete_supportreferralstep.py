"""The SupportReferralStep table goes: 0008 made sure its rows live on as events."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0008_support_referral_step_events"),
    ]

    operations = [migrations.DeleteModel(name="SupportReferralStep")]
