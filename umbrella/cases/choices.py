"""Code lists of the record that scoping needs as well as the models (which import scoping)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECORDED = "recorded", _("Recorded")
    UNDER_INVESTIGATION = "under_investigation", _("Under investigation")
    CLOSED = "closed", _("Closed")


class ShareScope(models.TextChoices):
    FULL = "full", _("Full, with identities")
    ANONYMISED = "anonymised", _("Anonymised, without any person's identifying details")
