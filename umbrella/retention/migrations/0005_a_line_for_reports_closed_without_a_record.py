"""The schedule's line for reports closed or merged without becoming a record: an editable default
(no official period), emptied a year after the decision."""

from django.db import migrations

BASIS = ("Kept only while needed to answer a question or complaint about the decision not to record it. "
         "Twelve months after the report was closed or merged is an editable default: no official period was found.")


def add_default(apps, schema_editor):
    RetentionRule = apps.get_model("retention", "RetentionRule")
    RetentionRule.objects.get_or_create(
        record_kind="report", organisation_kind="", outcome_group="", offence_group="", superseded_at=None,
        defaults={"review_after_months": 12, "basis": BASIS, "verified": False, "version": 1},
    )


class Migration(migrations.Migration):
    dependencies = [("retention", "0004_the_register_says_whether_a_record_was_disposed_of_or_anonymised")]
    operations = [migrations.RunPython(add_default, migrations.RunPython.noop)]
