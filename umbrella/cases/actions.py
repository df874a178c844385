"""Audit action codes written by the record (cases)."""

from __future__ import annotations

from typing import Final

RECORD_CREATE: Final = "record.create"
RECORD_UPDATE: Final = "record.update"
RECORD_STATUS_CHANGE: Final = "record.status_change"
RECORD_STRAND_ADD: Final = "record.strand_add"
RECORD_STRAND_REMOVE: Final = "record.strand_remove"
RECORD_STRAND_ASSESS: Final = "record.strand_assess"
RECORD_STRAND_SUB_CATEGORY: Final = "record.strand_sub_category"
RECORD_OFFENCE_ADD: Final = "record.offence_add"
RECORD_OFFENCE_REMOVE: Final = "record.offence_remove"
RECORD_PERSON_ADD: Final = "record.person_add"
RECORD_PERSON_REMOVE: Final = "record.person_remove"
RECORD_LINK: Final = "record.link"
RECORD_VIEW: Final = "record.view"
PERSON_VIEW: Final = "person.view"
PERSON_UPDATE: Final = "person.update"
RECORDS_SEARCH: Final = "records.search"
RECORD_DISPOSE: Final = "record.dispose"
RECORD_ANONYMISE: Final = "record.anonymise"
