"""The schedule's first lines. No official source confirmed the periods (../shared/DOMAIN.md §4.4):
each is an editable default (verified=False) that a system administrator replaces with the
organisation's own policy."""

from django.db import migrations

POLICE = "police_force"
MOPI = ("APP Management of police information: retention, review and disposal (College of Policing): kept only while "
        "necessary for a policing purpose, and reviewed. Six years to the first review is an editable default.")
NCHI = ("Non-Crime Hate Incidents: Code of Practice on the Recording and Retention of Personal Data (2023) and APP "
        "Management of police information. The Code's own period could not be confirmed: one year to the first "
        "review is an editable default.")
PARTNER = ("The organisation's own retention policy. Six years (a common limitation period for case records) is an "
           "editable default.")
DEFAULTS = [
    ("hate_crime", POLICE, 72, MOPI),
    ("other_crime", POLICE, 72, MOPI),
    ("nchi", POLICE, 12, NCHI),
    ("hate_crime", "", 72, PARTNER),
    ("other_crime", "", 72, PARTNER),
    ("nchi", "", 72, PARTNER),
]


def add_defaults(apps, schema_editor):
    RetentionRule = apps.get_model("retention", "RetentionRule")
    for record_kind, organisation_kind, months, basis in DEFAULTS:
        RetentionRule.objects.get_or_create(
            record_kind=record_kind, organisation_kind=organisation_kind, superseded_at=None,
            defaults={"review_after_months": months, "basis": basis, "verified": False, "version": 1},
        )


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_a_retention_schedule_reviews_holds_and_a_disposal_register")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
