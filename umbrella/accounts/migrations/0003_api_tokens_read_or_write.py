from django.db import migrations, models

CHOICES = [("read", "Read only"), ("write", "Read and write")]


class Migration(migrations.Migration):
    """Tokens say whether they may write. Those issued before could, and keep that; new ones read
    only unless issued with write scope."""

    dependencies = [
        ("accounts", "0002_api_tokens_stored_hashed_with_expiry"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(choices=CHOICES, default="write", max_length=8),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(choices=CHOICES, default="read", max_length=8),
        ),
    ]
