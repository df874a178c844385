"""A person's request about the data an organisation holds on them (UK GDPR Articles 15 to 17;
Data Protection Act 2018 Part 3 for law enforcement processing): to see it, to correct it, or to
erase it. What the requester gave to be found by is sealed with the organisation's key; the people
found are proposed matches until a handler confirms each one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from umbrella.agencies.models import Organisation
from umbrella.crypto.registry import Encrypted, column_of


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Subject access")
    RECTIFICATION = "rectification", _("Rectification")
    ERASURE = "erasure", _("Erasure")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")


class ExtensionGround(models.TextChoices):
    COMPLEX = "complex", _("The request is complex")
    NUMEROUS = "numerous", _("The person has made a number of requests")


class SubjectRequest(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=RequestKind.choices)
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    received_on = models.DateField()
    due_on = models.DateField()
    # Extended once, by two further months, on one of the law's two grounds (UK GDPR Art. 12(3));
    # ``due_on`` then holds the extended deadline and ``first_due_on`` the month's.
    first_due_on = models.DateField(null=True, blank=True)
    extension_ground = models.CharField(max_length=16, choices=ExtensionGround.choices, blank=True)
    # What the requester gave to be found by (ciphertext).
    given_name = models.TextField(blank=True)
    family_name = models.TextField(blank=True)
    date_of_birth = models.TextField(blank=True)
    email = models.TextField(blank=True)
    phone = models.TextField(blank=True)
    # What was decided and why (ciphertext): the rectification made, the grounds for refusing.
    decision_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    # When what the requester gave, the decision's reason and the people found were removed, once the
    # closed request had been kept its months (UMBRELLA_SUBJECT_REQUEST_KEEP_MONTHS). The request's
    # reference, kind, dates and outcome stay, as the log of requests answered.
    details_disposed_at = models.DateTimeField(null=True, blank=True)

    ENCRYPTED = Encrypted(fields=("given_name", "family_name", "date_of_birth", "email", "phone", "decision_reason"))

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"], name="subject_request_queue")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"SR-{self.pk:06d}"


class MatchHow(models.TextChoices):
    NAME_AND_BIRTH = "name_dob", _("Same name and date of birth")
    CONTACT = "contact", _("Same e-mail address or phone number")
    LINKED = "linked", _("Linked by record linkage to a person found")


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for a decision")
    CONFIRMED = "confirmed", _("Confirmed: the requester")
    REJECTED = "rejected", _("Rejected: someone else")


class SubjectMatch(models.Model):
    request = models.ForeignKey(SubjectRequest, on_delete=models.CASCADE, related_name="matches")
    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    how = models.CharField(max_length=16, choices=MatchHow.choices)
    status = models.CharField(max_length=16, choices=MatchStatus.choices, default=MatchStatus.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["request", "person"], name="subject_match_once")]

    def __str__(self) -> str:
        return f"Match {self.pk} of request {self.request_id}"


REQUEST_COLUMNS = {name: column_of(SubjectRequest, name) for name in SubjectRequest.ENCRYPTED.fields}
