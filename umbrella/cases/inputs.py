"""Plain data handed to cases services by forms, the API, imports and demo data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from umbrella.reference.models import Code


@dataclass(frozen=True)
class StrandInput:
    strand: Code
    perceiver: Code
    sub_category: Code | None = None
    note: str = ""


@dataclass(frozen=True)
class OffenceInput:
    offence: Code
    is_aggravated: bool = False


@dataclass(frozen=True)
class PersonInput:
    role: str
    given_name: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    ethnicity: Code | None = None
    sex: Code | None = None
    gender_identity: Code | None = None
    age_band: Code | None = None
    disability: Code | None = None
    religion: Code | None = None
    sexual_orientation: Code | None = None


@dataclass(frozen=True)
class LocationInput:
    description: str = ""
    postcode: str = ""
    borough: Code | None = None
    lsoa_code: str = ""
    area_code: str = ""  # outside the listed boroughs: the area as given
    area_name: str = ""
    latitude: float | None = None
    longitude: float | None = None
    location_type: Code | None = None
    online_platform: Code | None = None


@dataclass(frozen=True)
class FlagsInput:
    is_online: bool = False
    is_domestic_abuse: bool = False
    is_asb_related: bool = False
    is_alcohol_drug_related: bool = False


@dataclass(frozen=True)
class SourceInput:
    system: str = ""
    reference: str = ""
