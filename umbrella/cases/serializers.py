"""Input and output shapes of the record API (cases.api). Inputs become cases.inputs dataclasses; outputs never decrypt.

Codes travel as code strings; people's identity fields only ever come from
``cases.selectors.record_detail``, which decides per access what may be shown.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from umbrella.api.fields import TextField
from umbrella.api.serializers import OrganisationRefSerializer
from umbrella.cases.inputs import (
    FlagsInput,
    LocationInput,
    OffenceInput,
    PersonInput,
    SourceInput,
    StrandInput,
)
from umbrella.cases.models import (
    Offence,
    PersonRole,
    Record,
    RecordKind,
    RecordStatus,
    RecordStrand,
)
from umbrella.cases.scoping import Access
from umbrella.cases.selectors import SORTS, PersonView, RecordFilters, RecordView
from umbrella.reference.api import CodeField
from umbrella.reference.models import Code

EQUALITY_FIELDS = ("ethnicity", "sex", "gender_identity", "age_band", "disability", "religion", "sexual_orientation")
IDENTITY_FIELDS = ("given_name", "family_name", "date_of_birth", "email", "phone", "address", "postcode")
FLAG_FIELDS = ("is_online", "is_domestic_abuse", "is_asb_related", "is_alcohol_drug_related")


# Outputs.


class StrandSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    strand = CodeField(scheme="strand")
    sub_category = CodeField(scheme="sub_category", allow_null=True)
    perceiver = CodeField(scheme="perceiver")
    is_monitored = serializers.BooleanField()


class StrandDetailSerializer(StrandSerializer):
    """A strand in a record's detail: with its note, for readers with full access."""

    note = TextField(help_text="Empty unless the reader has full access.")


class OffenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    offence = CodeField(scheme="offence")
    is_aggravated = serializers.BooleanField()


class RecordFieldsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A record's own unencrypted columns; the summary and the detail add strands their own way."""

    id = serializers.IntegerField()
    reference = TextField()
    organisation = OrganisationRefSerializer()
    team = serializers.IntegerField(source="team_id", allow_null=True)
    kind = serializers.ChoiceField(choices=RecordKind.choices)
    status = serializers.ChoiceField(choices=RecordStatus.choices)
    occurred_from = serializers.DateTimeField(allow_null=True)
    occurred_to = serializers.DateTimeField(allow_null=True)
    reported_at = serializers.DateTimeField()
    recorded_at = serializers.DateTimeField(allow_null=True)
    postcode_district = TextField(help_text="The postcode's outward code (\"SW1A\"); the full place is in a record's detail.")
    borough = CodeField(scheme="borough", allow_null=True)
    lsoa_code = TextField()
    area_code = TextField(help_text="Outside the listed boroughs: the area's GSS code as given.")
    area_name = TextField(help_text="Outside the listed boroughs: the area's name as given.")
    location_type = CodeField(scheme="location_type", allow_null=True)
    online_platform = CodeField(scheme="online_platform", allow_null=True)
    is_online = serializers.BooleanField()
    is_domestic_abuse = serializers.BooleanField()
    is_asb_related = serializers.BooleanField()
    is_alcohol_drug_related = serializers.BooleanField()
    row_version = serializers.IntegerField(help_text="Send this back with PUT or PATCH.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class RecordSummarySerializer(RecordFieldsSerializer):
    """A record without narrative or people: nothing here is encrypted, so lists never decrypt."""

    strands = StrandSerializer(many=True)


class PersonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A person on a record as the reader may see them; identity fields only with full access."""

    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=PersonRole.choices)
    role_label = TextField()
    access = serializers.ChoiceField(choices=[access.value for access in Access])
    display_name = TextField(help_text="The name, a stable pseudonym, or the role when anonymised.")
    given_name = TextField(required=False)
    family_name = TextField(required=False)
    date_of_birth = TextField(required=False)
    email = TextField(required=False)
    phone = TextField(required=False)
    address = TextField(required=False)
    postcode = TextField(required=False)
    equality = serializers.DictField(child=TextField())

    def to_representation(self, instance: PersonView) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": instance.id,
            "role": instance.role,
            "role_label": instance.role_label,
            "access": instance.access,
            "display_name": instance.display_name,
            "equality": dict(instance.equality),
        }
        if instance.access == Access.FULL.value:
            data.update({name: getattr(instance, name) for name in IDENTITY_FIELDS})
        return data


class LinkSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(help_text="The linked record's id.")
    reference = TextField()
    reason = TextField()


class RecordDetailSerializer(RecordSummarySerializer):
    """One record as ``record_detail`` decrypted it for this reader."""

    strands = StrandDetailSerializer(many=True)
    access = serializers.ChoiceField(choices=[access.value for access in Access])
    narrative = TextField()
    status_reason = TextField(help_text="Why the record has its status (e.g. closed); empty unless the reader has full access.")
    closure_reason = serializers.CharField(
        allow_null=True, help_text="Why it was closed, as a closure reason's code (reference data 'status_reason'); null unless closed.",
    )
    location_description = TextField(help_text="Empty unless the reader has full access.")
    postcode = TextField(help_text="Empty unless the reader has full access.")
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    offences = OffenceSerializer(many=True)
    people = PersonSerializer(many=True)
    links = LinkSerializer(many=True)
    reference_version = serializers.IntegerField()
    source_system = TextField()
    source_reference = TextField()

    def to_representation(self, instance: RecordView) -> dict[str, Any]:
        record = instance.record
        # The record's own columns only: its strands come from the view, already fetched with their codes.
        data = dict(RecordFieldsSerializer(record, context=self.context).data)
        data.update(
            strands=[{**StrandSerializer(view.row).data, "note": view.note} for view in instance.strand_views],
            access=instance.access,
            narrative=instance.narrative,
            status_reason=instance.status_reason,
            closure_reason=record.closure_reason.code if record.closure_reason else None,
            **self._place(instance),
            offences=OffenceSerializer(instance.offences, many=True).data,
            people=PersonSerializer(instance.people, many=True).data,
            links=[{"id": other.pk, "reference": other.reference, "reason": reason} for other, reason in instance.links],
            reference_version=record.reference_version.number,
            source_system=record.source_system,
            source_reference=record.source_reference,
        )
        return data


    @staticmethod
    def _place(instance: RecordView) -> dict[str, Any]:
        full = instance.access == Access.FULL.value
        return {
            "location_description": instance.place.description if full else "",
            "postcode": instance.place.postcode if full else "",
            "latitude": instance.place.latitude if full else None,
            "longitude": instance.place.longitude if full else None,
        }


class PersonAddedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(help_text="The person's id.")
    role = serializers.ChoiceField(choices=PersonRole.choices)


class LinkAddedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    from_record = serializers.IntegerField(source="from_record_id")
    to_record = serializers.IntegerField(source="to_record_id")
    reason = TextField()


# Inputs.


def _not_in_future(value: date | None) -> None:
    if value is not None and value > timezone.localdate():
        raise serializers.ValidationError("Date of birth must be in the past.")


class StrandInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    strand = CodeField(scheme="strand")
    perceiver = CodeField(scheme="perceiver", help_text="Who perceived the hostility, e.g. victim.")
    sub_category = CodeField(scheme="sub_category", required=False, allow_null=True)
    note = TextField(max_length=500, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        strand: Code = attrs["strand"]
        sub_category: Code | None = attrs.get("sub_category")
        if sub_category is not None and sub_category.parent_code != strand.code:
            raise serializers.ValidationError(
                {"sub_category": f"“{sub_category.code}” is not a sub-category of {strand.code}."}
            )
        return attrs

    @staticmethod
    def to_input(attrs: dict[str, Any]) -> StrandInput:
        return StrandInput(
            strand=attrs["strand"], perceiver=attrs["perceiver"],
            sub_category=attrs.get("sub_category"), note=attrs.get("note", ""),
        )


class OffenceInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    offence = CodeField(scheme="offence", help_text="Home Office offence code.")
    is_aggravated = serializers.BooleanField(required=False, default=False)

    @staticmethod
    def to_input(attrs: dict[str, Any]) -> OffenceInput:
        return OffenceInput(offence=attrs["offence"], is_aggravated=attrs.get("is_aggravated", False))


class PersonInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    role = serializers.ChoiceField(choices=PersonRole.choices)
    given_name = TextField(max_length=200, required=False, allow_blank=True, default="")
    family_name = TextField(max_length=200, required=False, allow_blank=True, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None, validators=[_not_in_future])
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    phone = TextField(max_length=40, required=False, allow_blank=True, default="")
    address = TextField(max_length=500, required=False, allow_blank=True, default="")
    postcode = TextField(max_length=10, required=False, allow_blank=True, default="")
    ethnicity = CodeField(scheme="ethnicity", required=False, allow_null=True)
    sex = CodeField(scheme="sex", required=False, allow_null=True)
    gender_identity = CodeField(scheme="gender_identity", required=False, allow_null=True)
    age_band = CodeField(scheme="age_band", required=False, allow_null=True)
    disability = CodeField(scheme="disability", required=False, allow_null=True)
    religion = CodeField(scheme="religion", required=False, allow_null=True)
    sexual_orientation = CodeField(scheme="sexual_orientation", required=False, allow_null=True)

    @staticmethod
    def to_input(attrs: dict[str, Any]) -> PersonInput:
        identity: dict[str, Any] = {name: attrs.get(name, "") for name in IDENTITY_FIELDS if name != "date_of_birth"}
        equality: dict[str, Any] = {name: attrs.get(name) for name in EQUALITY_FIELDS}
        return PersonInput(role=attrs["role"], date_of_birth=attrs.get("date_of_birth"), **identity, **equality)


class _RecordFieldsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Fields shared by create and update; optional ones default to empty on create and PUT."""

    kind = serializers.ChoiceField(choices=RecordKind.choices)
    reported_at = serializers.DateTimeField()
    narrative = TextField(max_length=20000, allow_blank=True, trim_whitespace=False)
    occurred_from = serializers.DateTimeField(required=False, allow_null=True, default=None)
    occurred_to = serializers.DateTimeField(required=False, allow_null=True, default=None)
    location_description = TextField(max_length=300, required=False, allow_blank=True, default="")
    postcode = TextField(max_length=10, required=False, allow_blank=True, default="")
    borough = CodeField(scheme="borough", required=False, allow_null=True, default=None, help_text="GSS code, e.g. E09000033.")
    lsoa_code = TextField(max_length=9, required=False, allow_blank=True, default="")
    area_code = TextField(max_length=9, required=False, allow_blank=True, default="",
                          help_text="A place outside the listed boroughs: the area's GSS code (instead of borough).")
    area_name = TextField(max_length=100, required=False, allow_blank=True, default="",
                          help_text="A place outside the listed boroughs: the area's name (instead of borough).")
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True, default=None)
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True, default=None)
    location_type = CodeField(scheme="location_type", required=False, allow_null=True, default=None)
    online_platform = CodeField(scheme="online_platform", required=False, allow_null=True, default=None)
    is_online = serializers.BooleanField(required=False, default=False)
    is_domestic_abuse = serializers.BooleanField(required=False, default=False)
    is_asb_related = serializers.BooleanField(required=False, default=False)
    is_alcohol_drug_related = serializers.BooleanField(required=False, default=False)
    team = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="One of your organisation's team ids.")

    @staticmethod
    def location(attrs: dict[str, Any]) -> LocationInput:
        return LocationInput(
            description=attrs["location_description"], postcode=attrs["postcode"], borough=attrs["borough"],
            lsoa_code=attrs["lsoa_code"], area_code=attrs["area_code"], area_name=attrs["area_name"],
            latitude=attrs["latitude"], longitude=attrs["longitude"],
            location_type=attrs["location_type"], online_platform=attrs["online_platform"],
        )

    @staticmethod
    def flags(attrs: dict[str, Any]) -> FlagsInput:
        return FlagsInput(**{name: attrs[name] for name in FLAG_FIELDS})


class RecordCreateSerializer(_RecordFieldsSerializer):
    # All statuses, so the schema has one status enum; record_create accepts only draft or recorded.
    status = serializers.ChoiceField(
        choices=RecordStatus.choices, required=False, default=RecordStatus.RECORDED,
        help_text="draft or recorded (the default).",
    )
    strands = StrandInputSerializer(many=True, required=False, default=list)
    offences = OffenceInputSerializer(many=True, required=False, default=list)
    people = PersonInputSerializer(many=True, required=False, default=list)
    source_system = TextField(max_length=60, required=False, allow_blank=True, default="")
    source_reference = TextField(max_length=120, required=False, allow_blank=True, default="")

    def service_kwargs(self) -> dict[str, Any]:
        attrs: dict[str, Any] = dict(self.validated_data)
        return {
            "kind": attrs["kind"],
            "status": attrs["status"],
            "reported_at": attrs["reported_at"],
            "narrative": attrs["narrative"],
            "occurred_from": attrs["occurred_from"],
            "occurred_to": attrs["occurred_to"],
            "location": self.location(attrs),
            "flags": self.flags(attrs),
            "strands": [StrandInputSerializer.to_input(item) for item in attrs["strands"]],
            "offences": [OffenceInputSerializer.to_input(item) for item in attrs["offences"]],
            "people": [PersonInputSerializer.to_input(item) for item in attrs["people"]],
            "team_id": attrs["team"],
            "source": SourceInput(system=attrs["source_system"], reference=attrs["source_reference"]),
        }


class RecordUpdateSerializer(_RecordFieldsSerializer):
    """PUT replaces every editable field (missing optional ones become empty); PATCH changes only those sent."""

    row_version = serializers.IntegerField(
        min_value=1, help_text="The row_version you last read; a stale one is rejected with 409 and nothing changes."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "row_version" not in attrs:
            raise serializers.ValidationError({"row_version": "Send the row_version you last read."})
        return attrs

    def service_kwargs(
        self, record: Record, *, current_narrative: str | None, current_place: LocationInput
    ) -> dict[str, Any]:
        """Keyword arguments for ``record_update``; fields a PATCH left out keep the record's values."""
        current: dict[str, Any] = {
            "kind": record.kind,
            "reported_at": record.reported_at,
            "narrative": current_narrative,
            "occurred_from": record.occurred_from,
            "occurred_to": record.occurred_to,
            "location_description": current_place.description,
            "postcode": current_place.postcode,
            "borough": record.borough,
            "lsoa_code": record.lsoa_code,
            "area_code": record.area_code,
            "area_name": record.area_name,
            "latitude": current_place.latitude,
            "longitude": current_place.longitude,
            "location_type": record.location_type,
            "online_platform": record.online_platform,
            "team": record.team_id,
            **{name: getattr(record, name) for name in FLAG_FIELDS},
        }
        attrs = {**current, **self.validated_data}
        return {
            "row_version": attrs["row_version"],
            "kind": attrs["kind"],
            "reported_at": attrs["reported_at"],
            "narrative": attrs["narrative"],
            "occurred_from": attrs["occurred_from"],
            "occurred_to": attrs["occurred_to"],
            "location": self.location(attrs),
            "flags": self.flags(attrs),
            "team_id": attrs["team"],
        }


class StatusChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=RecordStatus.choices)
    reason = TextField(
        max_length=300, required=False, allow_blank=True, default="",
        help_text="Why, in the closer's words: required when closing without a reason_code, or with 'other'.",
    )
    reason_code = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default="",
        help_text="A closure reason's code (reference data 'status_reason'): required when closing a non-crime hate incident.",
    )


class StrandRemoveSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = TextField(
        max_length=300,
        help_text="Why the strand is removed, e.g. entered in error. Only its adder or a supervisor may remove it.",
    )


class LinkInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    other = serializers.IntegerField(help_text="The id of the record to link to.")
    reason = TextField(max_length=300)


class RecordFilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The record list's query parameters; the same filters as the record list page."""

    strand = CodeField(scheme="strand", required=False)
    sub_category = CodeField(scheme="sub_category", required=False)
    borough = CodeField(scheme="borough", required=False, help_text="GSS code, e.g. E09000033.")
    kind = serializers.ChoiceField(choices=RecordKind.choices, required=False)
    status = serializers.ChoiceField(choices=RecordStatus.choices, required=False)
    reported_from = serializers.DateField(required=False, help_text="YYYY-MM-DD, inclusive.")
    reported_to = serializers.DateField(required=False, help_text="YYYY-MM-DD, inclusive.")
    is_online = serializers.BooleanField(required=False, allow_null=True, default=None)
    is_domestic_abuse = serializers.BooleanField(required=False, allow_null=True, default=None)
    is_asb_related = serializers.BooleanField(required=False, allow_null=True, default=None)
    is_alcohol_drug_related = serializers.BooleanField(required=False, allow_null=True, default=None)
    flagged = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true: has at least one strand; false: none."
    )
    q = TextField(max_length=200, required=False, help_text="Searches reference, postcode (exactly, with or without the space) and postcode district.")
    sort = serializers.ChoiceField(choices=list(SORTS), required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("reported_from"), attrs.get("reported_to")
        if start and end and end < start:
            raise serializers.ValidationError({"reported_to": "reported_to must be the same as or after reported_from."})
        return attrs

    def to_filters(self) -> RecordFilters:
        """The filters asked for; parameters that are not filters (a subclass's options) are left out."""
        names = {field.name for field in dataclasses.fields(RecordFilters)}
        values: dict[str, Any] = {
            name: value.code if isinstance(value, Code) else value
            for name, value in self.validated_data.items() if name in names
        }
        return RecordFilters(**values)


def strand_output(row: RecordStrand) -> dict[str, Any]:
    return dict(StrandSerializer(row).data)


def offence_output(row: Offence) -> dict[str, Any]:
    return dict(OffenceSerializer(row).data)
