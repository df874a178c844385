"""The rate counters now belong to core (see core 0001); only the model's state leaves here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_drafts_and_rate_counters"), ("core", "0001_rate_counters_move_here_from_reporting")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="RateCounter")], database_operations=[]),
    ]
