"""The reference data every Umbrella installation starts with.

Written in our own words from the sources in DOMAIN.md. Each entry carries the verification
mark DOMAIN.md gives the fact it rests on (✅ official, ⚠️ secondary, ❌ unverified); where an
entry rests on two facts (for example an outcome's number and its wording) it takes the weaker
mark. Entries DOMAIN.md does not cover are marked unverified so administrators see them as
editable defaults. The London boroughs were checked against the ONS GSS codes in the London
Datastore boundary files; this module never reads those files at run time.

Seeding only ever adds codes that have never existed: it does not overwrite an administrator's
edit or bring back a code an administrator retired, so it is safe to run on every deploy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from umbrella.accounts.policy import REFERENCE_ADMINS, has_role
from umbrella.audit import actions
from umbrella.audit.services import audit_event_write
from umbrella.reference.models import Code, ReferenceVersion, Scheme, Verification

if TYPE_CHECKING:
    from umbrella.accounts.models import User

OFFICIAL = Verification.OFFICIAL
SECONDARY = Verification.SECONDARY
UNVERIFIED = Verification.UNVERIFIED

INITIAL_SUMMARY = "Initial reference data"
PREFER_NOT_TO_SAY = ("prefer_not_to_say", "Prefer not to say")

# Short source strings; DOMAIN.md holds the full citations and addresses.
SRC_APP_HATE = "College of Policing APP 'Responding to hate'"
SRC_HO_BULLETIN = "Home Office, Hate crime, England and Wales (annual bulletins)"
SRC_HO_2024 = "Home Office, Hate crime, England and Wales, year ending March 2024 (targeted religion)"
SRC_HCOG_RACE = "Hate Crime Operational Guidance 2014, as quoted in Home Office Hate Crime E&W 2015/16, Annex A"
SRC_SUSSEX_FORM = "Sussex third-party hate incident reporting form"
SRC_REPORT_IT = "Easy-read 'Report it' hate incident form"
SRC_HO_RRA_TABLE = "Home Office Hate Crime E&W 2015/16, Table 1 (HOCR codes of RRA offences)"
SRC_NORTHUMBRIA_FOI = "Northumbria Police FOI 951/18 (HOCR offence codes)"
SRC_GWENT_FOI = "Gwent Police FOI 202528532 (Home Office outcome groups)"
SRC_NOT_IN_DOMAIN = "Umbrella default; not checked against a primary source"
SRC_ONS_2021 = "ONS Census 2021 classification (" + SRC_NOT_IN_DOMAIN + ")"
SRC_GSS = "ONS GSS codes, London Datastore 'Statistical GIS Boundary Files for London'"


@dataclass(frozen=True)
class SeedCode:
    scheme: str
    code: str
    label: str
    verification: str
    source: str
    description: str = ""
    parent_code: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Enum members hash by name, not value; plain strings keep set lookups against the database right.
        object.__setattr__(self, "scheme", str(Scheme(self.scheme).value))
        object.__setattr__(self, "verification", str(Verification(self.verification).value))


def _strands() -> list[SeedCode]:
    monitored = {"monitored": True}
    local = {"monitored": False}
    s = Scheme.STRAND
    return [
        SeedCode(s, "race", "Race or ethnicity", OFFICIAL, SRC_HCOG_RACE,
                 "Any group defined by race, colour, nationality, or ethnic or national origin, including "
                 "Gypsies and Irish Travellers and people targeted as asylum seekers or refugees.", attributes=monitored),
        SeedCode(s, "religion", "Religion or belief", OFFICIAL, f"{SRC_APP_HATE}; {SRC_HO_BULLETIN}",
                 "Includes people with no faith and attacks on religious premises (scope notes from "
                 "secondary sources).", attributes=monitored),
        SeedCode(s, "sexual_orientation", "Sexual orientation", OFFICIAL, f"{SRC_APP_HATE}; {SRC_HO_BULLETIN}",
                 "Any sexual orientation, including heterosexual (scope notes from secondary sources).",
                 attributes=monitored),
        SeedCode(s, "disability", "Disability", OFFICIAL, f"{SRC_APP_HATE}; {SRC_HO_BULLETIN}",
                 "Physical, sensory and learning disabilities and mental health or developmental "
                 "conditions (scope notes from secondary sources).", attributes=monitored),
        SeedCode(s, "transgender", "Transgender identity", OFFICIAL,
                 f"{SRC_APP_HATE}; LASPO 2012 s65; {SRC_HO_BULLETIN}",
                 "People who are transgender or perceived to be, including anyone proposing to undergo, "
                 "undergoing or having undergone gender reassignment.", attributes=monitored),
        SeedCode(s, "sex_misogyny", "Sex or gender (misogyny)", OFFICIAL,
                 "Nottinghamshire Police written evidence SPP0049 (local strand since 2016)",
                 "Local strand, not part of the Home Office return: hostility towards women because they "
                 "are women.", attributes=local),
        SeedCode(s, "alternative_subculture", "Alternative subculture", OFFICIAL,
                 "Sophie Lancaster Foundation; Greater Manchester Police local strand since 2013",
                 "Local strand: people targeted for belonging to an alternative subculture such as goths, "
                 "emos, punks or metallers.", attributes=local),
        SeedCode(s, "sex_workers", "Sex workers", OFFICIAL,
                 "The Guardian, 22 Dec 2010 (Merseyside Police local strand since 2006)",
                 "Local strand: crimes against sex workers treated as hate crime.", attributes=local),
        SeedCode(s, "age", "Age", SECONDARY, "Local authority reporting forms (Bromsgrove DC, Malvern Hills DC)",
                 "Recorded by some councils and partners; not a police monitored strand.", attributes=local),
        SeedCode(s, "other", "Other", OFFICIAL,
                 "NPCC/PDS Minimum POLE Data Standards Dictionary v1.1, DS_096 'Hate Crime'",
                 "Any other perceived hostility or prejudice, described in the record.", attributes=local),
    ]


def _sub_categories() -> list[SeedCode]:
    s = Scheme.SUB_CATEGORY
    entries: list[tuple[str, str, str, str, str]] = [
        ("religion", "antisemitic", "Antisemitic (anti-Jewish)", OFFICIAL, SRC_HO_2024),
        ("religion", "anti_muslim", "Anti-Muslim", OFFICIAL, SRC_HO_2024),
        ("religion", "anti_christian", "Anti-Christian", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        ("religion", "anti_sikh", "Anti-Sikh", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        ("religion", "anti_hindu", "Anti-Hindu", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        ("religion", "religion_other", "Other religion or belief", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        ("race", "anti_black", "Anti-Black", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        ("race", "anti_asian", "Anti-Asian", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        ("race", "anti_gypsy_roma_traveller", "Anti-Gypsy, Roma or Traveller", OFFICIAL, SRC_HCOG_RACE),
        ("race", "xenophobic", "Xenophobic (including against asylum seekers and refugees)", OFFICIAL,
         SRC_HCOG_RACE),
        ("race", "race_other", "Other race or ethnicity", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        ("sexual_orientation", "homophobic", "Homophobic (anti-gay or anti-lesbian)", OFFICIAL, SRC_SUSSEX_FORM),
        ("sexual_orientation", "biphobic", "Biphobic", OFFICIAL, SRC_SUSSEX_FORM),
        ("sexual_orientation", "sexual_orientation_other", "Other sexual orientation", UNVERIFIED,
         SRC_NOT_IN_DOMAIN),
        ("disability", "disability_physical", "Physical disability", SECONDARY,
         "Devon & Cornwall LEPH; Essex County Council"),
        ("disability", "disability_sensory", "Sensory impairment", SECONDARY, "Devon & Cornwall LEPH"),
        ("disability", "disability_learning", "Learning disability", SECONDARY, "Devon & Cornwall LEPH"),
        ("disability", "disability_mental_health", "Mental health or developmental condition", SECONDARY,
         "Devon & Cornwall LEPH"),
        ("disability", "disability_other", "Other disability", UNVERIFIED, SRC_NOT_IN_DOMAIN),
    ]
    return [
        SeedCode(s, code, label, verification, source, parent_code=parent)
        for parent, code, label, verification, source in entries
    ]


def _perceivers() -> list[SeedCode]:
    s = Scheme.PERCEIVER
    basis = f"{SRC_APP_HATE} (perceived by the victim or any other person)"
    return [
        SeedCode(s, "victim", "Victim", OFFICIAL, basis),
        SeedCode(s, "witness", "Witness", OFFICIAL, f"{basis}; {SRC_SUSSEX_FORM}"),
        SeedCode(s, "officer", "Police officer or member of staff", OFFICIAL, basis),
        SeedCode(s, "third_party", "Third party (reporting on someone's behalf)", OFFICIAL, SRC_SUSSEX_FORM),
        SeedCode(s, "other", "Someone else", OFFICIAL, basis),
    ]


def _location_types() -> list[SeedCode]:
    s = Scheme.LOCATION_TYPE
    sussex: list[tuple[str, str]] = [
        ("home", "Home"),
        ("street", "Street"),
        ("shop", "Shop"),
        ("public_transport", "Public transport"),
        ("place_of_worship", "Place of worship"),
        ("education", "School, college or university"),
        ("workplace", "Workplace"),
        ("pub_bar_restaurant", "Pub, bar or restaurant"),
        ("park_open_space", "Park, beach or open space"),
        ("residential_care", "Residential care"),
        ("public_service_premises", "Council, police or health premises"),
        ("public_sex_environment", "Public sex environment"),
    ]
    entries = [SeedCode(s, code, label, OFFICIAL, SRC_SUSSEX_FORM) for code, label in sussex]
    entries += [
        SeedCode(s, "lgbt_venue", "LGBT+ venue", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        SeedCode(s, "online", "Online", UNVERIFIED, SRC_NOT_IN_DOMAIN,
                 "Use with the online flag; choose the platform as well."),
        SeedCode(s, "other", "Other", OFFICIAL, SRC_SUSSEX_FORM),
    ]
    return entries


def _online_platforms() -> list[SeedCode]:
    s = Scheme.ONLINE_PLATFORM
    return [
        SeedCode(s, "social_media", "Social media", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        SeedCode(s, "messaging_app", "Messaging app", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        SeedCode(s, "gaming", "Online gaming", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        SeedCode(s, "email", "Email", OFFICIAL, SRC_REPORT_IT),
        SeedCode(s, "text_message", "Text message", OFFICIAL, SRC_REPORT_IT),
        SeedCode(s, "dating_app", "Dating app", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        SeedCode(s, "website_forum", "Website or forum", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        SeedCode(s, "other", "Other", UNVERIFIED, SRC_NOT_IN_DOMAIN),
    ]


def _offences() -> list[SeedCode]:
    s = Scheme.OFFENCE
    basic: list[tuple[str, str, str]] = [
        ("8N", "Assault with injury", ""),
        ("105A", "Assault without injury", ""),
        ("8L", "Harassment", ""),
        ("9A", "Public fear, alarm or distress", ""),
        ("58A", "Criminal damage to a dwelling",
         "The non-aggravated equivalent of 58J as printed in the Home Office table."),
    ]
    # (code, label, basic form, legislation where DOMAIN.md verifies it)
    aggravated: list[tuple[str, str, str, str]] = [
        ("8P", "Racially or religiously aggravated assault with injury", "8N", "Crime and Disorder Act 1998 s29"),
        ("105B", "Racially or religiously aggravated assault without injury", "105A",
         "Crime and Disorder Act 1998 s29"),
        ("8M", "Racially or religiously aggravated harassment", "8L", ""),
        ("9B", "Racially or religiously aggravated public fear, alarm or distress", "9A", ""),
        ("58J", "Racially or religiously aggravated other criminal damage", "58A", ""),
    ]
    entries = [SeedCode(s, code, label, OFFICIAL, SRC_HO_RRA_TABLE, description) for code, label, description in basic]
    for code, label, basic_code, legislation in aggravated:
        attributes: dict[str, Any] = {"aggravated_form_of": basic_code, "racially_or_religiously_aggravated": True}
        if legislation:
            attributes["legislation"] = legislation
        entries.append(SeedCode(s, code, label, OFFICIAL, SRC_HO_RRA_TABLE, attributes=attributes))
    entries += [
        SeedCode(s, "8Q", "Stalking", SECONDARY, SRC_NORTHUMBRIA_FOI),
        SeedCode(s, "8R", "Malicious communications", SECONDARY, SRC_NORTHUMBRIA_FOI),
        SeedCode(s, "3B", "Threats to kill", SECONDARY, SRC_NORTHUMBRIA_FOI),
    ]
    return entries


def _outcome_groups() -> list[SeedCode]:
    s = Scheme.OUTCOME_GROUP
    groups: list[tuple[str, str, str]] = [
        ("charged_summonsed", "Charged or summonsed", OFFICIAL),
        ("out_of_court_formal", "Out-of-court (formal): cautions and penalty notices", OFFICIAL),
        ("out_of_court_informal", "Out-of-court (informal): community resolutions", OFFICIAL),
        ("diversionary", "Diversionary, educational or intervention activity", OFFICIAL),
        ("evidential_victim_supports", "Evidential difficulties: suspect identified, victim supports action",
         OFFICIAL),
        ("evidential_victim_not_supporting", "Evidential difficulties: victim does not support action", OFFICIAL),
        ("prevented_not_public_interest", "Prosecution prevented or not in the public interest", OFFICIAL),
        ("further_investigation_not_public_interest",
         "Further investigation to support formal action not in the public interest (police decision)", OFFICIAL),
        ("transferred", "Responsibility for further investigation transferred to another body", OFFICIAL),
        ("taken_into_consideration", "Taken into consideration", OFFICIAL),
        # The Gwent list was cut off at this item, hence the weaker mark.
        ("no_suspect_identified", "Investigation complete: no suspect identified", SECONDARY),
        ("not_yet_assigned", "Not yet assigned an outcome", OFFICIAL),
        ("other", "Other (grouping not verified)", UNVERIFIED),
    ]
    sources = {
        "not_yet_assigned": "Home Office, Crime outcomes in England and Wales 2022 to 2023",
        "other": SRC_NOT_IN_DOMAIN,
    }
    return [SeedCode(s, code, label, mark, sources.get(code, SRC_GWENT_FOI)) for code, label, mark in groups]


def _outcomes() -> list[SeedCode]:
    s = Scheme.OUTCOME
    yjlc = "YJLC, NPCC guidance on Outcome 22"
    cambridge = "Cambridge Independent (Home Office data)"
    hmicfrs = "HMICFRS glossary, crime outcome type"
    kingsley = "Kingsley Napley criminal law blog; " + SRC_GWENT_FOI
    # (number, label, group, mark, source). The mark is the weaker of the number's and the wording's.
    outcomes: list[tuple[str, str, str, str, str]] = [
        ("1", "Charged or summonsed", "charged_summonsed", OFFICIAL, SRC_GWENT_FOI),
        ("2", "Caution: youth (including youth conditional caution)", "out_of_court_formal", SECONDARY, yjlc),
        ("3", "Caution: adult (including conditional caution)", "out_of_court_formal", SECONDARY, yjlc),
        ("4", "Taken into consideration", "taken_into_consideration", UNVERIFIED,
         SRC_GWENT_FOI + " (group only; number not verified)"),
        ("5", "Offender has died", "prevented_not_public_interest", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        ("6", "Penalty notice for disorder", "out_of_court_formal", UNVERIFIED,
         SRC_GWENT_FOI + " (group only; number not verified)"),
        ("7", "Cannabis or khat warning", "out_of_court_formal", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        ("8", "Community resolution", "out_of_court_informal", SECONDARY, yjlc),
        ("9", "Prosecution not in the public interest (CPS decision)", "prevented_not_public_interest",
         UNVERIFIED, SRC_NOT_IN_DOMAIN),
        ("10", "Formal action not in the public interest (police decision)", "prevented_not_public_interest",
         UNVERIFIED, SRC_NOT_IN_DOMAIN),
        ("11", "Prosecution prevented: suspect under the age of criminal responsibility",
         "prevented_not_public_interest", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        ("12", "Prosecution prevented: suspect too ill", "prevented_not_public_interest", UNVERIFIED,
         SRC_NOT_IN_DOMAIN),
        ("13", "Prosecution prevented: victim or key witness dead or too ill", "prevented_not_public_interest",
         UNVERIFIED, SRC_NOT_IN_DOMAIN),
        ("14", "Evidential difficulties: suspect not identified, victim does not support further action",
         "evidential_victim_not_supporting", UNVERIFIED, cambridge + " (number not verified)"),
        ("15", "Evidential difficulties: suspect identified, victim supports action",
         "evidential_victim_supports", SECONDARY, f"{hmicfrs}; {cambridge}"),
        ("16", "Evidential difficulties: suspect identified, victim does not support action",
         "evidential_victim_not_supporting", SECONDARY, f"{hmicfrs}; New Law Journal"),
        ("17", "Prosecution time limit expired", "prevented_not_public_interest", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        ("18", "Investigation complete: no suspect identified", "no_suspect_identified", UNVERIFIED,
         cambridge + " (number not verified)"),
        ("19", "Fraud-related outcome (wording not verified)", "other", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        ("20", "Further investigation or action transferred to another body or agency", "transferred",
         UNVERIFIED, SRC_GWENT_FOI + " (group only; number not verified)"),
        ("21", "Further investigation to support formal action not in the public interest (police decision)",
         "further_investigation_not_public_interest", SECONDARY, kingsley),
        ("22", "Diversionary, educational or intervention activity; further action not in the public interest",
         "diversionary", SECONDARY, kingsley),
    ]
    entries = [
        SeedCode(s, number, label, mark, source, parent_code=group,
                 attributes={"number": int(number), "group": group})
        for number, label, group, mark, source in outcomes
    ]
    entries.append(
        SeedCode(s, "not_yet_assigned", "Not yet assigned an outcome (under investigation)", OFFICIAL,
                 "Home Office, Crime outcomes in England and Wales 2022 to 2023", parent_code="not_yet_assigned",
                 attributes={"group": "not_yet_assigned"})
    )
    return entries


def _ethnicities() -> list[SeedCode]:
    s = Scheme.ETHNICITY
    groups: list[tuple[str, str, list[tuple[str, str]]]] = [
        ("asian", "Asian, Asian British or Asian Welsh", [
            ("asian_bangladeshi", "Bangladeshi"),
            ("asian_chinese", "Chinese"),
            ("asian_indian", "Indian"),
            ("asian_pakistani", "Pakistani"),
            ("asian_other", "Any other Asian background"),
        ]),
        ("black", "Black, Black British, Black Welsh, Caribbean or African", [
            ("black_african", "African"),
            ("black_caribbean", "Caribbean"),
            ("black_other", "Any other Black, Black British or Caribbean background"),
        ]),
        ("mixed", "Mixed or multiple ethnic groups", [
            ("mixed_white_asian", "White and Asian"),
            ("mixed_white_black_african", "White and Black African"),
            ("mixed_white_black_caribbean", "White and Black Caribbean"),
            ("mixed_other", "Any other Mixed or multiple ethnic background"),
        ]),
        ("white", "White", [
            ("white_british", "English, Welsh, Scottish, Northern Irish or British"),
            ("white_irish", "Irish"),
            ("white_gypsy_irish_traveller", "Gypsy or Irish Traveller"),
            ("white_roma", "Roma"),
            ("white_other", "Any other White background"),
        ]),
        ("other", "Other ethnic group", [
            ("other_arab", "Arab"),
            ("other_any", "Any other ethnic group"),
        ]),
    ]
    entries = [
        SeedCode(s, code, f"{group_label}: {label}", UNVERIFIED, SRC_ONS_2021,
                 attributes={"group": group, "group_label": group_label})
        for group, group_label, members in groups
        for code, label in members
    ]
    entries.append(SeedCode(s, *PREFER_NOT_TO_SAY, UNVERIFIED, SRC_NOT_IN_DOMAIN))
    return entries


LONDON_BOROUGHS: tuple[tuple[str, str], ...] = (
    ("E09000001", "City of London"),
    ("E09000002", "Barking and Dagenham"),
    ("E09000003", "Barnet"),
    ("E09000004", "Bexley"),
    ("E09000005", "Brent"),
    ("E09000006", "Bromley"),
    ("E09000007", "Camden"),
    ("E09000008", "Croydon"),
    ("E09000009", "Ealing"),
    ("E09000010", "Enfield"),
    ("E09000011", "Greenwich"),
    ("E09000012", "Hackney"),
    ("E09000013", "Hammersmith and Fulham"),
    ("E09000014", "Haringey"),
    ("E09000015", "Harrow"),
    ("E09000016", "Havering"),
    ("E09000017", "Hillingdon"),
    ("E09000018", "Hounslow"),
    ("E09000019", "Islington"),
    ("E09000020", "Kensington and Chelsea"),
    ("E09000021", "Kingston upon Thames"),
    ("E09000022", "Lambeth"),
    ("E09000023", "Lewisham"),
    ("E09000024", "Merton"),
    ("E09000025", "Newham"),
    ("E09000026", "Redbridge"),
    ("E09000027", "Richmond upon Thames"),
    ("E09000028", "Southwark"),
    ("E09000029", "Sutton"),
    ("E09000030", "Tower Hamlets"),
    ("E09000031", "Waltham Forest"),
    ("E09000032", "Wandsworth"),
    ("E09000033", "Westminster"),
)


def _boroughs() -> list[SeedCode]:
    return [
        SeedCode(Scheme.BOROUGH, gss, name, OFFICIAL, SRC_GSS, attributes={"gss": gss})
        for gss, name in LONDON_BOROUGHS
    ]


def _simple(scheme: str, entries: list[tuple[str, str]], *, source: str = SRC_NOT_IN_DOMAIN) -> list[SeedCode]:
    return [SeedCode(scheme, code, label, UNVERIFIED, source) for code, label in [*entries, PREFER_NOT_TO_SAY]]


def _equality() -> list[SeedCode]:
    entries = _simple(Scheme.SEX, [("female", "Female"), ("male", "Male"), ("not_known", "Not known")])
    entries += _simple(Scheme.GENDER_IDENTITY, [
        ("same_as_birth", "Same as sex registered at birth"),
        ("trans_woman", "Trans woman"),
        ("trans_man", "Trans man"),
        ("non_binary", "Non-binary"),
        ("other", "Another gender identity"),
        ("not_known", "Not known"),
    ])
    bands: list[tuple[str, str, int, int | None]] = [
        ("under_18", "Under 18", 0, 17),
        ("18_24", "18 to 24", 18, 24),
        ("25_34", "25 to 34", 25, 34),
        ("35_44", "35 to 44", 35, 44),
        ("45_54", "45 to 54", 45, 54),
        ("55_64", "55 to 64", 55, 64),
        ("65_plus", "65 or over", 65, None),
    ]
    entries += [
        SeedCode(Scheme.AGE_BAND, code, label, UNVERIFIED, SRC_NOT_IN_DOMAIN, attributes={"min": low, "max": high})
        for code, label, low, high in bands
    ]
    entries += _simple(Scheme.AGE_BAND, [("not_known", "Not known")])
    entries += _simple(Scheme.DISABILITY, [
        ("yes_limited_a_lot", "Yes, day-to-day activities limited a lot"),
        ("yes_limited_a_little", "Yes, day-to-day activities limited a little"),
        ("no", "No"),
        ("not_known", "Not known"),
    ], source=SRC_ONS_2021)
    entries += _simple(Scheme.RELIGION, [
        ("no_religion", "No religion"),
        ("buddhist", "Buddhist"),
        ("christian", "Christian"),
        ("hindu", "Hindu"),
        ("jewish", "Jewish"),
        ("muslim", "Muslim"),
        ("sikh", "Sikh"),
        ("other", "Any other religion or belief"),
        ("not_known", "Not known"),
    ], source=SRC_ONS_2021)
    entries += _simple(Scheme.SEXUAL_ORIENTATION, [
        ("straight_heterosexual", "Straight or heterosexual"),
        ("gay_lesbian", "Gay or lesbian"),
        ("bisexual", "Bisexual"),
        ("other", "Another sexual orientation"),
        ("not_known", "Not known"),
    ], source=SRC_ONS_2021)
    return entries


def _status_reasons() -> list[SeedCode]:
    """Why a record is closed. ``kinds`` limits a reason to some kinds of record; one without it
    applies to every kind (cases.rules.closure_reason_applies)."""
    s = Scheme.STATUS_REASON
    crimes = {"kinds": ["hate_crime", "other_crime"]}
    nchi = {"kinds": ["nchi"]}
    code_2023 = "Home Office Non-Crime Hate Incidents Code of Practice (2023)"
    return [
        SeedCode(s, "outcome_assigned", "Crime outcome assigned", OFFICIAL, "HMICFRS glossary, crime outcome type",
                 "Every recorded crime is closed with a Home Office outcome type.", attributes=crimes),
        SeedCode(s, "below_recording_threshold", "Does not meet the threshold for recording", OFFICIAL, code_2023,
                 "Trivial, irrational or malicious, or no basis to conclude intentional hostility.", attributes=nchi),
        SeedCode(s, "nchi_intelligence", "Kept as intelligence; no further police action", SECONDARY,
                 "Metropolitan Police, October 2025 (BBC); Home Office minister, November 2024: NCHIs are background "
                 "intelligence", "The incident stays on record for tension monitoring and analysis.", attributes=nchi),
        SeedCode(s, "nchi_antisocial_behaviour", "Dealt with as anti-social behaviour", SECONDARY,
                 "NPCC and College of Policing NCHI review, reported December 2025",
                 "The most serious incidents handled as anti-social behaviour.", attributes=nchi),
        SeedCode(s, "nchi_resolved_advice", "Resolved with advice or reassurance", UNVERIFIED, SRC_NOT_IN_DOMAIN,
                 attributes=nchi),
        SeedCode(s, "duplicate", "Duplicate of another record", SECONDARY,
                 "Home Office Counting Rules 2022/23, section C (mirror copy)",
                 "Link the record it duplicates before closing."),
        SeedCode(s, "transferred", "Transferred to another force or agency", SECONDARY,
                 "Home Office Counting Rules 2022/23, section I (mirror copy)"),
        SeedCode(s, "support_completed", "Support completed", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        SeedCode(s, "no_further_action_wanted", "Person reporting wants no further action", UNVERIFIED,
                 SRC_NOT_IN_DOMAIN),
        SeedCode(s, "no_contact", "Could not contact the person reporting", UNVERIFIED, SRC_NOT_IN_DOMAIN),
        SeedCode(s, "other", "Other reason", UNVERIFIED, SRC_NOT_IN_DOMAIN, "Say why in the reason's words."),
    ]


SRC_POLICE_UK = "data.police.uk street-level crime files, 'Last outcome category' (https://data.police.uk/about/)"


def _police_uk_outcomes() -> list[SeedCode]:
    """data.police.uk's published outcome categories (the labels, kept as the source words) and the
    outcome group each is counted under. The categories are data.police.uk's own; which group each
    belongs to is Umbrella's reading, not verified: administrators change it as reference data."""
    s = Scheme.POLICE_UK_OUTCOME
    charged = "charged_summonsed"
    categories: list[tuple[str, str, str]] = [
        ("no_suspect", "Investigation complete; no suspect identified", "no_suspect_identified"),
        ("status_unavailable", "Status update unavailable", "other"),
        ("unable_to_prosecute", "Unable to prosecute suspect", "evidential_victim_supports"),
        ("under_investigation", "Under investigation", "not_yet_assigned"),
        ("court_result_unavailable", "Court result unavailable", charged),
        ("caution", "Offender given a caution", "out_of_court_formal"),
        ("awaiting_court", "Awaiting court outcome", charged),
        ("local_resolution", "Local resolution", "out_of_court_informal"),
        ("prison", "Offender sent to prison", charged),
        ("drugs_warning", "Offender given a drugs possession warning", "out_of_court_formal"),
        ("fined", "Offender fined", charged),
        ("further_investigation_not_public_interest", "Further investigation is not in the public interest",
         "further_investigation_not_public_interest"),
        ("formal_action_not_public_interest", "Formal action is not in the public interest",
         "prevented_not_public_interest"),
        ("community_sentence", "Offender given community sentence", charged),
        ("suspended_sentence", "Offender given suspended prison sentence", charged),
        ("conditional_discharge", "Offender given conditional discharge", charged),
        ("penalty_notice", "Offender given penalty notice", "out_of_court_formal"),
        ("not_guilty", "Defendant found not guilty", charged),
        ("another_organisation", "Action to be taken by another organisation", "transferred"),
        ("court_case_unable_to_proceed", "Court case unable to proceed", charged),
        ("otherwise_dealt_with", "Offender otherwise dealt with", charged),
        ("deprived_of_property", "Offender deprived of property", charged),
        ("charged_another_case", "Suspect charged as part of another case", charged),
        ("sent_to_crown_court", "Defendant sent to Crown Court", charged),
        ("compensation", "Offender ordered to pay compensation", charged),
        ("absolute_discharge", "Offender given absolute discharge", charged),
    ]
    return [SeedCode(s, code, label, UNVERIFIED, SRC_POLICE_UK, parent_code=group, attributes={"group": group})
            for code, label, group in categories]


def seed_codes() -> list[SeedCode]:
    """Every seed entry, in display order within each scheme."""
    return [
        *_strands(),
        *_sub_categories(),
        *_perceivers(),
        *_location_types(),
        *_online_platforms(),
        *_offences(),
        *_outcome_groups(),
        *_outcomes(),
        *_ethnicities(),
        *_boroughs(),
        *_equality(),
        *_status_reasons(),
        *_police_uk_outcomes(),
    ]


def _version_for_seed(*, actor: User | None, new_codes: int) -> ReferenceVersion:
    latest = ReferenceVersion.objects.select_for_update().order_by("-number").first()
    if latest is None:
        return ReferenceVersion.objects.create(number=1, summary=INITIAL_SUMMARY, created_by=actor)
    if not Code.objects.exists():
        # selectors.latest_version() makes an empty version 1 for a bare database; it published
        # nothing, so the first real seed becomes that version rather than a confusing version 2.
        latest.summary = INITIAL_SUMMARY
        latest.created_by = actor
        latest.save(update_fields=["summary", "created_by"])
        return latest
    return ReferenceVersion.objects.create(
        number=latest.number + 1, summary=f"Seed reference data: {new_codes} new codes", created_by=actor
    )


@transaction.atomic
def seed_reference_data(*, actor: User | None = None) -> ReferenceVersion:
    """Adds every seed code that has never existed; returns the version holding them.

    Running it again when nothing is missing changes nothing and returns the latest version.
    """
    if actor is not None and not has_role(actor, REFERENCE_ADMINS):
        raise PermissionDenied("Only system administrators can change reference data.")
    seen = set(Code.objects.values_list("scheme", "code"))
    missing = [entry for entry in seed_codes() if (entry.scheme, entry.code) not in seen]
    if not missing:
        latest = ReferenceVersion.objects.order_by("-number").first()
        if latest is not None:
            return latest
        return ReferenceVersion.objects.create(number=1, summary=INITIAL_SUMMARY, created_by=actor)

    version = _version_for_seed(actor=actor, new_codes=len(missing))
    order: dict[str, int] = {}
    rows: list[Code] = []
    for entry in seed_codes():
        order[entry.scheme] = order.get(entry.scheme, 0) + 10
        if (entry.scheme, entry.code) in seen:
            continue
        rows.append(
            Code(
                scheme=entry.scheme,
                code=entry.code,
                label=entry.label,
                description=entry.description,
                parent_code=entry.parent_code,
                attributes=dict(entry.attributes),
                verification=entry.verification,
                source=entry.source,
                sort_order=order[entry.scheme],
                introduced_in=version,
            )
        )
    Code.objects.bulk_create(rows)
    added: dict[str, int] = {}
    for row in rows:
        added[row.scheme] = added.get(row.scheme, 0) + 1
    audit_event_write(
        actor=actor,
        action=actions.REFERENCE_SEED,
        target=version,
        target_label=f"Reference data version {version.number}",
        changes={"version": version.number, "added": added, "total_added": len(rows)},
    )
    return version
