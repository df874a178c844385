from django.db import migrations, models


def seal_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Places written before this migration were plain text: seal each under its record owner's key,
    with the postcode's blind index and district beside it.

    Uses the live crypto functions (the keys come from the environment, as at run time); a value
    already sealed is left alone, so running it twice changes nothing.
    """
    from umbrella.cases.services import display_postcode, postcode_district, sealed_coordinates
    from umbrella.crypto.fields import PREFIX, blind_index, encrypt, normalise_postcode

    Record = apps.get_model("cases", "Record")
    for record in Record.objects.iterator(chunk_size=2000):
        if record.postcode.startswith(PREFIX + ":") or record.location_description.startswith(PREFIX + ":"):
            continue
        postcode = display_postcode(record.postcode) if record.postcode else ""
        plain = {
            "location_description": record.location_description,
            "postcode": postcode,
            "coordinates": sealed_coordinates(record.latitude, record.longitude),
        }
        for name, value in plain.items():
            setattr(record, name, encrypt(value, organisation_id=record.organisation_id,
                                          column=f"cases.record.{name}") or "")
        record.postcode_index = blind_index("postcode", normalise_postcode(postcode))
        record.postcode_district = postcode_district(postcode)
        record.save(update_fields=[*plain, "postcode_index", "postcode_district"])


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0003_strand_added_by_and_evidential_assessments"),
        ("crypto", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="record",
            name="coordinates",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="record",
            name="postcode_district",
            field=models.CharField(blank=True, max_length=4),
        ),
        migrations.AddField(
            model_name="record",
            name="postcode_index",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="record",
            name="location_description",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="record",
            name="postcode",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(
            model_name="record",
            name="latitude",
        ),
        migrations.RemoveField(
            model_name="record",
            name="longitude",
        ),
    ]
