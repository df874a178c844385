from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from umbrella.agencies.models import Organisation, Team

# Re-exported: the record's code lists live in choices.py so that scoping can use them too.
from umbrella.cases.choices import RecordStatus as RecordStatus
from umbrella.cases.choices import ShareScope as ShareScope
from umbrella.cases.scoping import RecordQuerySet, forget_shares
from umbrella.crypto.registry import Encrypted, column_of
from umbrella.reference.models import Code, ReferenceVersion


class RecordKind(models.TextChoices):
    HATE_CRIME = "hate_crime", _("Hate crime")
    NCHI = "nchi", _("Non-crime hate incident")
    # Records from an all-crime feed (e.g. data.police.uk), screened later for missed hate.
    OTHER_CRIME = "other_crime", _("Other crime")


# Which status may follow which; closing needs a reason, and a closed record may be reopened.
STATUS_TRANSITIONS: dict[str, set[str]] = {
    RecordStatus.DRAFT: {RecordStatus.RECORDED},
    RecordStatus.RECORDED: {RecordStatus.UNDER_INVESTIGATION, RecordStatus.CLOSED},
    RecordStatus.UNDER_INVESTIGATION: {RecordStatus.CLOSED, RecordStatus.RECORDED},
    RecordStatus.CLOSED: {RecordStatus.UNDER_INVESTIGATION},
}


class PersonRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    SUBJECT = "subject", _("Subject or suspect")
    WITNESS = "witness", _("Witness")
    REPORTER = "reporter", _("Reporter")


class ReferenceCounter(models.Model):
    """Hands out the next human-friendly reference number per organisation and year."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_counter_per_org_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_number}"


class Record(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="records")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="records")
    reference = models.CharField(max_length=32)
    kind = models.CharField(max_length=16, choices=RecordKind.choices)
    status = models.CharField(max_length=24, choices=RecordStatus.choices, default=RecordStatus.DRAFT)
    # Ciphertext: why it was closed, in the closer's words (read through record_detail).
    status_reason = models.TextField(blank=True)
    # Why it was closed, from the list of closure reasons (reference data); the words above add to it.
    closure_reason = models.ForeignKey(
        "reference.Code", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    occurred_from = models.DateTimeField(null=True, blank=True)
    occurred_to = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField()
    recorded_at = models.DateTimeField(null=True, blank=True)

    # Where it happened can say who it happened to. The description, postcode and coordinates
    # ("51.51234,-0.12345") are ciphertext (crypto.fields), read through cases.selectors.record_place;
    # the postcode's blind index finds the same place again, and the postcode district, borough and
    # LSOA are the coarse areas that statistics, search and pseudonymised readers use.
    location_description = models.TextField(blank=True)
    postcode = models.TextField(blank=True)
    postcode_index = models.CharField(max_length=64, blank=True, db_index=True)
    postcode_district = models.CharField(max_length=4, blank=True)
    borough = models.ForeignKey(Code, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lsoa_code = models.CharField(max_length=9, blank=True)
    # A place outside the boroughs Umbrella lists (a national or imported record), kept as given:
    # the area's GSS code and name. Statistics by borough leave such records out of every borough.
    area_code = models.CharField(max_length=9, blank=True)
    area_name = models.CharField(max_length=100, blank=True)
    coordinates = models.TextField(blank=True)
    location_type = models.ForeignKey(Code, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    online_platform = models.ForeignKey(Code, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    # Ciphertext only (crypto.fields); decrypted in selectors for entitled users.
    narrative = models.TextField(blank=True)
    # When the retention review disposed of its personal data and free text (umbrella.retention):
    # the record stays, as a count and a reference, with nothing about anyone.
    disposed_at = models.DateTimeField(null=True, blank=True)
    # When the retention review anonymised it instead: every person's details gone, the narrative
    # kept with their names replaced by their roles and contact details and dates taken out.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    is_online = models.BooleanField(_("online or cyber-enabled"), default=False)
    is_domestic_abuse = models.BooleanField(_("domestic abuse"), default=False)
    is_asb_related = models.BooleanField(_("anti-social behaviour related"), default=False)
    is_alcohol_drug_related = models.BooleanField(_("alcohol or drug related"), default=False)

    reference_version = models.ForeignKey(ReferenceVersion, on_delete=models.PROTECT, related_name="+")
    source_system = models.CharField(max_length=60, blank=True)
    source_reference = models.CharField(max_length=120, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Incremented on every update; edit forms send it back to catch lost updates.
    row_version = models.PositiveIntegerField(default=1)

    objects = RecordQuerySet.as_manager()

    ENCRYPTED = Encrypted(fields=("narrative", "location_description", "postcode", "coordinates", "status_reason"))

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="record_reference_unique_in_org"),
            models.UniqueConstraint(
                fields=["organisation", "source_system", "source_reference"],
                condition=~models.Q(source_reference=""),
                name="record_source_unique_in_org",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-reported_at"], name="record_org_reported"),
            # The list's own order across organisations: with records shared in (a subquery in the
            # scoping, cases.scoping), the newest visible page is a walk down this index, not a sort
            # of every visible record (at 10,000 shares on 100,000 records: 168 ms to 3 ms).
            models.Index(fields=["-reported_at", "-id"], name="record_reported"),
            # Covers the scoping filter, so counting a list's visible records reads only the index.
            models.Index(fields=["organisation", "status", "created_by"], name="record_org_status_creator"),
            # The same with the kind and the id, so a count by kind and status over every visible
            # record, joined by id (the attrition funnel), reads only the index. The id is a key
            # column rather than INCLUDEd: SQLite has no included columns.
            models.Index(fields=["organisation", "kind", "status", "created_by", "id"], name="record_org_kind_status"),
            models.Index(fields=["status"], name="record_status"),
            models.Index(fields=["kind"], name="record_kind"),
        ]

    def __str__(self) -> str:
        return self.reference


class RecordStrand(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="strands")
    strand = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="+")
    sub_category = models.ForeignKey(Code, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    perceiver = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="+")
    # Copied from the strand when added: monitored strands go in the Home Office return.
    is_monitored = models.BooleanField()
    # Ciphertext: a note on the strand can name people (read through record_detail).
    note = models.TextField(blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    # Who put the strand on the record: they (or a supervisor) may take it off if entered in
    # error. Null on strands added before this was kept: the record's creator stands in.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    ENCRYPTED = Encrypted(fields=("note",), organisation="record__organisation_id")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["strand", "record"], name="strand_record")]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.strand_id}"


class EvidentialAssessment(models.TextChoices):
    SUPPORTED = "supported", _("Supported by the evidence")
    NOT_SUPPORTED = "not_supported", _("Not supported by the evidence")
    MORE_INFORMATION = "more_information", _("More information needed")


class StrandAssessment(models.Model):
    """A reviewer's evidential assessment of one perceived strand, kept beside the perception.

    The perception test decides recording, so an assessment never removes or changes the strand.
    Append-only: a later assessment of the same strand supersedes the earlier one for display and
    statistics, and both stay in the history.
    """

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="strand_assessments")
    record_strand = models.ForeignKey(RecordStrand, on_delete=models.CASCADE, related_name="assessments")
    assessment = models.CharField(max_length=20, choices=EvidentialAssessment.choices)
    # Ciphertext (cases.strandassessment.reason): a reason can name people.
    reason = models.TextField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()

    ENCRYPTED = Encrypted(fields=("reason",), organisation="record__organisation_id")

    class Meta:
        ordering = ["record_strand", "-assessed_at", "-id"]
        indexes = [models.Index(fields=["record", "record_strand", "-id"], name="strand_assessment_latest")]

    def __str__(self) -> str:
        return f"{self.record_strand_id}: {self.assessment}"


class ChangeReason(models.Model):
    """Why a change was made, in the words of the person who made it (closing a record, taking a
    strand off, linking two records): sealed under the record owner's key beside the audit event
    that records the change. The event itself holds only a keyed hash of the words, so the log
    never carries free text that can name people; the timeline reads the words from here."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    # The audit event's id (audit events are never deleted, and the audit app sits below cases).
    event_id = models.BigIntegerField(unique=True)
    reason = models.TextField()

    ENCRYPTED = Encrypted(fields=("reason",), organisation="record__organisation_id")

    class Meta:
        indexes = [models.Index(fields=["record", "event_id"], name="change_reason_record")]

    def __str__(self) -> str:
        return f"{self.record_id}: event {self.event_id}"


class Offence(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="offences")
    offence = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="+")
    is_aggravated = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.offence_id}"


class Person(models.Model):
    """A person known to one organisation. Identity fields hold ciphertext under that organisation's key."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    given_name = models.TextField(blank=True)
    family_name = models.TextField(blank=True)
    date_of_birth = models.TextField(blank=True)
    email = models.TextField(blank=True)
    phone = models.TextField(blank=True)
    address = models.TextField(blank=True)
    postcode = models.TextField(blank=True)

    # Keyed HMACs for exact matching without decrypting (crypto.fields.blind_index).
    name_dob_index = models.CharField(max_length=64, blank=True, db_index=True)
    postcode_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    email_index = models.CharField(max_length=64, blank=True, db_index=True)

    # Equality monitoring: optional, each scheme includes "prefer not to say".
    ethnicity = models.ForeignKey(Code, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sex = models.ForeignKey(Code, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    gender_identity = models.ForeignKey(Code, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    age_band = models.ForeignKey(Code, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    disability = models.ForeignKey(Code, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    religion = models.ForeignKey(Code, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sexual_orientation = models.ForeignKey(Code, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    ENCRYPTED = Encrypted(fields=("given_name", "family_name", "date_of_birth", "email", "phone", "address", "postcode"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        # Never the name: identities are ciphertext and must not leak through str().
        return f"Person {self.pk}"


class RecordPerson(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(max_length=16, choices=PersonRole.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["record", "person", "role"], name="person_role_once_per_record")
        ]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.role} {self.person_id}"


class RecordLink(models.Model):
    from_record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="links_out")
    to_record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="links_in")
    # Ciphertext under the key of the organisation that made the link (the from-record's owner).
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    ENCRYPTED = Encrypted(fields=("reason",), organisation="from_record__organisation_id")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_record", "to_record"], name="record_link_once"),
            models.CheckConstraint(condition=~models.Q(from_record=models.F("to_record")), name="record_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.from_record_id} → {self.to_record_id}"


class ShareQuerySet(models.QuerySet["RecordShare"]):
    def active(self) -> ShareQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class RecordShare(models.Model):
    """A grant letting another organisation see a record. The owning organisation never needs one.

    It lives beside the record because scoping reads it; granting and revoking are
    ``sharing.services``' (the one home of consent and sharing with ``consent``)."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="shares_received")
    scope = models.CharField(max_length=16, choices=ShareScope.choices)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    legal_basis = models.CharField(max_length=300, blank=True)
    consent_reference = models.CharField(max_length=120, blank=True)
    # Why it was shared and why the share ended: free text that may name people, so sealed with the
    # owning organisation's key (crypto.fields); the service limits the words to 500 characters.
    reason = models.TextField()
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField(blank=True)

    objects = ShareQuerySet.as_manager()

    ENCRYPTED = Encrypted(
        fields=("reason", "revocation_reason"), organisation="record__organisation_id", sealed_as="sharing.recordshare"
    )

    class Meta:
        # The table kept its name when the model moved here from the sharing app.
        db_table = "sharing_recordshare"
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["organisation", "record"], name="share_org_record")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(legal_basis="", consent_reference=""),
                name="share_needs_legal_basis_or_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_id} → {self.organisation_id} ({self.scope})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        forget_shares()  # this request's later scoping sees the share as it now is

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        deleted = super().delete(*args, **kwargs)
        forget_shares()
        return deleted


# The associated data of each sealed column, for the services that seal and the selectors that open.
NARRATIVE_COLUMN = column_of(Record, "narrative")
PLACE_COLUMNS = {name: column_of(Record, name) for name in ("location_description", "postcode", "coordinates")}
ASSESSMENT_REASON_COLUMN = column_of(StrandAssessment, "reason")
CHANGE_REASON_COLUMN = column_of(ChangeReason, "reason")
STATUS_REASON_COLUMN = column_of(Record, "status_reason")
STRAND_NOTE_COLUMN = column_of(RecordStrand, "note")
LINK_REASON_COLUMN = column_of(RecordLink, "reason")
SHARE_REASON_COLUMN = column_of(RecordShare, "reason")
SHARE_REVOCATION_COLUMN = column_of(RecordShare, "revocation_reason")
PERSON_ENCRYPTED_FIELDS = Person.ENCRYPTED.fields


def person_column(field_name: str) -> str:
    return column_of(Person, field_name)
