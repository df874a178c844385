"""RecordShare now lives in cases (its table stays): the sharing app keeps no model of its own."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('care', '0003_referral_share_points_at_cases'),
        ('sharing', '0002_share_reasons_sealed_with_the_owners_key'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.DeleteModel(
            name='RecordShare',
        ),
        ]),
    ]
