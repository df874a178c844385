"""The rate counters move to core (sign-in throttling uses them too); the table stays as it was."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [("reporting", "0001_drafts_and_rate_counters")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RateCounter",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("bucket", models.CharField(max_length=32)),
                        ("address_hash", models.CharField(max_length=64)),
                        ("window_start", models.DateTimeField()),
                        ("count", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "reporting_ratecounter",
                        "indexes": [models.Index(fields=["window_start"], name="reporting_rate_window")],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("bucket", "address_hash", "window_start"), name="one_counter_per_window"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
