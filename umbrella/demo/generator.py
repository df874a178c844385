"""Plans the demo records as plain data, from a seed alone.

Nothing here touches the database, so the same seed always gives the same plan; the loader
then writes each planned record through ``cases.services``. Codes are referred to by their
reference-data code values (``umbrella.reference.seed``).
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from umbrella.demo import names, narratives
from umbrella.demo.london import (
    BOROUGH_BY_GSS,
    BOROUGHS,
    HOUR_WEIGHTS,
    MONTH_FACTORS,
    MOTIVE_BOROUGH_FACTORS,
    WEEKDAY_FACTORS,
    Borough,
    TriggerEvent,
    trigger_events,
)
from umbrella.demo.personas import CSU_BOROUGHS, HUB

# Three years of records, ending the day before the demo is loaded.
YEARS = 3


@dataclass(frozen=True)
class Motive:
    key: str
    strand: str
    sub_category: str | None
    share: float
    name_pool: str | None = None


# Shares of records by what the hostility was about. The five monitored strands follow the
# Home Office and MPS figures in DOMAIN.md §8 (race about 70%, sexual orientation about 12%,
# religion about 9% split evenly between antisemitic and anti-Muslim, disability 4%,
# transgender 2-3%); local strands take the small remainder.
MOTIVES: tuple[Motive, ...] = (
    Motive("anti_black", "race", "anti_black", 0.20, "black"),
    Motive("anti_asian", "race", "anti_asian", 0.17, "asian"),
    Motive("xenophobic", "race", "xenophobic", 0.17, "european"),
    Motive("anti_gypsy_roma_traveller", "race", "anti_gypsy_roma_traveller", 0.03, "traveller"),
    Motive("race_other", "race", "race_other", 0.11),
    Motive("antisemitic", "religion", "antisemitic", 0.036, "jewish"),
    Motive("anti_muslim", "religion", "anti_muslim", 0.036, "muslim"),
    Motive("anti_christian", "religion", "anti_christian", 0.006),
    Motive("anti_sikh", "religion", "anti_sikh", 0.005, "asian"),
    Motive("anti_hindu", "religion", "anti_hindu", 0.004, "asian"),
    Motive("religion_other", "religion", "religion_other", 0.003),
    Motive("sexual_orientation", "sexual_orientation", None, 0.125),
    Motive("disability", "disability", None, 0.04),
    Motive("transgender", "transgender", None, 0.025),
    Motive("sex_misogyny", "sex_misogyny", None, 0.02),
    Motive("alternative_subculture", "alternative_subculture", None, 0.004),
    Motive("sex_workers", "sex_workers", None, 0.003),
    Motive("age", "age", None, 0.006),
    Motive("other", "other", None, 0.004),
)
MOTIVE_BY_KEY = {motive.key: motive for motive in MOTIVES}
SO_SUBS = (("homophobic", 85), ("biphobic", 5), ("sexual_orientation_other", 10))
DISABILITY_SUBS = (
    ("disability_physical", 30), ("disability_learning", 25), ("disability_mental_health", 25),
    ("disability_sensory", 10), ("disability_other", 10),
)
# A second strand on about 6% of records (DOMAIN.md §1.5: 25,668 factors on 24,291 offences).
SECOND_STRAND: dict[str, tuple[str, str | None]] = {
    "anti_muslim": ("race", "anti_asian"),
    "antisemitic": ("race", "race_other"),
    "anti_asian": ("religion", "anti_muslim"),
    "xenophobic": ("religion", "anti_muslim"),
    "anti_black": ("sex_misogyny", None),
    "race_other": ("disability", None),
    "sexual_orientation": ("transgender", None),
    "transgender": ("sexual_orientation", "homophobic"),
    "disability": ("race", "race_other"),
    "sex_misogyny": ("race", "race_other"),
    "anti_sikh": ("race", "anti_asian"),
}
PERCEIVERS = (("victim", 80), ("witness", 8), ("officer", 5), ("third_party", 5), ("other", 2))
CENTRE_PERCEIVERS = (("victim", 55), ("third_party", 40), ("witness", 5))
PLATFORMS = (
    ("social_media", 45), ("messaging_app", 20), ("text_message", 10), ("gaming", 7),
    ("email", 5), ("dating_app", 7), ("website_forum", 5), ("other", 1),
)
PLATFORM_WORDS = {
    "social_media": "a social media platform", "messaging_app": "a messaging app", "text_message": "text message",
    "gaming": "an online game's chat", "email": "email", "dating_app": "a dating app",
    "website_forum": "a website forum", "other": "an online service",
}
# Hate crime scenario -> (weight, basic offence, aggravated form or None).
SCENARIOS: dict[str, tuple[int, str, str | None]] = {
    "verbal": (42, "9A", "9B"),
    "assault_minor": (16, "105A", "105B"),
    "assault_injury": (7, "8N", "8P"),
    "harassment": (12, "8L", "8M"),
    "damage": (11, "58A", "58J"),
    "threats": (3, "3B", None),
}
AGGRAVATED_STRANDS = frozenset({"race", "religion"})
PLACES: dict[str, tuple[str, ...]] = {
    "street": ("on {street}", "near the junction of {street} and {street2}", "outside a newsagent on {street}"),
    "home": ("outside the victim's home on {street}", "in the communal hallway of a block of flats on {street}",
             "at the victim's front door on {street}"),
    "public_transport": ("on a route {n} bus on {street}", "at the bus stop on {street}",
                         "on the platform of the station on {street}", "on an Underground train near {street}"),
    "shop": ("inside a convenience store on {street}", "at a supermarket checkout on {street}"),
    "pub_bar_restaurant": ("outside a pub on {street}", "in a takeaway on {street}", "in a restaurant on {street}"),
    "workplace": ("at the victim's workplace on {street}", "in the car park of an office on {street}"),
    "park_open_space": ("in a park off {street}", "on the common near {street}"),
    "education": ("outside a secondary school on {street}", "on a college campus on {street}"),
    "place_of_worship": ("outside a place of worship on {street}",),
    "public_service_premises": ("in the waiting room of a GP surgery on {street}",
                                "at the council housing office on {street}"),
    "lgbt_venue": ("outside an LGBT+ bar on {street}", "near an LGBT+ club on {street}"),
}
WORSHIP = {"antisemitic": "a synagogue", "anti_muslim": "a mosque", "anti_christian": "a church",
           "anti_sikh": "a gurdwara", "anti_hindu": "a temple"}
PLACE_WEIGHTS = (
    ("street", 34), ("home", 14), ("public_transport", 14), ("shop", 10), ("pub_bar_restaurant", 7),
    ("workplace", 5), ("park_open_space", 5), ("education", 3), ("place_of_worship", 2),
    ("public_service_premises", 2),
)
OUTCOMES = (  # Home Office outcome number, weight (hate crime closures)
    ("18", 35), ("14", 15), ("16", 15), ("1", 9), ("8", 8), ("15", 8), ("3", 4), ("22", 3), ("10", 3),
)
OUTCOME_WORDS = {
    "1": "charged or summonsed", "3": "adult caution", "8": "community resolution", "10": "formal action not in the public interest",
    "14": "evidential difficulties, suspect not identified, victim does not support further action",
    "15": "evidential difficulties, suspect identified, victim supports action",
    "16": "evidential difficulties, suspect identified, victim does not support action",
    "18": "investigation complete, no suspect identified", "22": "diversionary activity completed",
}
MPS_ACTORS = (("officer", 45), ("investigator", 20), ("call.handler", 20), ("supervisor", 8), ("hub.reviewer", 7))
# Third-party centres pass some reports to the police (DOMAIN.md §7.2), which is why they exist.
SHARING_CENTRES = frozenset({"northbridge", "crescent", "prism"})
# Other crimes whose narrative shows hostility nobody flagged (screening finds them in the demo).
UNFLAGGED_HOSTILITY = 0.12
SHARE_CHANCE = {"hate_crime": 0.55, "nchi": 0.2, "other_crime": 0.0}
CENTRE_FOR_MOTIVE = {"antisemitic": "northbridge", "anti_muslim": "crescent", "sexual_orientation": "prism",
                     "transgender": "prism"}
EAST_BOROUGHS = ("E09000030", "E09000025", "E09000002", "E09000026", "E09000031")
SOUTH_BOROUGHS = ("E09000022", "E09000028", "E09000023", "E09000008", "E09000032")
ETHNICITY_FOR_POOL: dict[str, tuple[tuple[str, int], ...]] = {
    "jewish": (("white_other", 50), ("white_british", 40), ("mixed_other", 10)),
    "muslim": (("asian_bangladeshi", 30), ("asian_pakistani", 30), ("black_african", 15), ("other_arab", 15), ("asian_other", 10)),
    "black": (("black_african", 45), ("black_caribbean", 40), ("mixed_white_black_caribbean", 10), ("black_other", 5)),
    "asian": (("asian_indian", 40), ("asian_chinese", 25), ("asian_other", 20), ("asian_pakistani", 15)),
    "european": (("white_other", 85), ("white_roma", 5), ("mixed_other", 10)),
    "traveller": (("white_gypsy_irish_traveller", 60), ("white_roma", 25), ("white_irish", 15)),
    "british": (("white_british", 80), ("white_irish", 5), ("mixed_white_asian", 5), ("mixed_other", 10)),
}
RELIGION_FOR_POOL = {"jewish": "jewish", "muslim": "muslim"}


@dataclass(frozen=True)
class PersonPlan:
    role: str
    # Set for people who recur (repeat victims, their neighbours): one Person row per organisation.
    key: str = ""
    given_name: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    # scheme -> code value for the equality-monitoring fields
    equality: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LocationPlan:
    description: str
    postcode: str
    borough: str
    latitude: float | None
    longitude: float | None
    location_type: str | None
    online_platform: str | None = None


@dataclass(frozen=True)
class RecordPlan:
    source_reference: str
    organisation: str
    actor: str
    team: str | None
    kind: str
    status: str  # the final status: draft, recorded, under_investigation or closed
    via_investigation: bool
    close_reason: str
    reported_at: datetime
    occurred_from: datetime
    occurred_to: datetime | None
    location: LocationPlan
    is_online: bool
    is_domestic_abuse: bool
    is_asb_related: bool
    is_alcohol_drug_related: bool
    strands: tuple[tuple[str, str | None, str], ...]  # (strand, sub-category, perceiver)
    offences: tuple[tuple[str, bool], ...]  # (offence code, aggravated)
    people: tuple[PersonPlan, ...]
    narrative: str
    # "full" or "anonymised" when a third-party centre shares the record with the police.
    share_with_police: str = ""


@dataclass
class _Victim:
    """A repeat victim: the same person details on several records (so the same blind index)."""

    person: PersonPlan
    motive: str
    borough: str
    home: LocationPlan
    neighbour: PersonPlan


class _Chooser:
    """Weighted choice from fixed (value, weight) pairs, with cumulative weights computed once."""

    def __init__(self, pairs: tuple[tuple[str, float], ...] | list[tuple[str, float]]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))

    def __call__(self, rng: random.Random) -> str:
        point = rng.random() * self.cumulative[-1]
        return self.values[bisect.bisect_right(self.cumulative, point)]


def anchor_for(now: datetime) -> datetime:
    """Midnight (UTC) at the start of the load day: the records run up to the day before.

    The demo looks like a live service on whatever day it is loaded; a resumed load reuses the
    anchor its first run stored (``demo.models.DemoRun``), so the plan does not move under it.
    """
    day = now.astimezone(UTC).date()
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


class Planner:
    def __init__(self, *, seed: int, records: int, anchor: datetime) -> None:
        self.seed = seed
        self.count = records
        self.rng = random.Random(seed)
        self.anchor = anchor
        self.last_day = anchor.date() - timedelta(days=1)
        self.first_day = self.last_day - timedelta(days=365 * YEARS - 1)
        self.events = trigger_events(self.first_day)
        self.motive_choice = _Chooser([(m.key, m.share) for m in MOTIVES])
        self.borough_choice = {
            key: _Chooser([(b.gss, b.weight * factors.get(b.gss, 1.0)) for b in BOROUGHS])
            for key, factors in MOTIVE_BOROUGH_FACTORS.items()
        }
        self.any_borough = _Chooser([(b.gss, b.weight) for b in BOROUGHS])
        self.place_choice = _Chooser(PLACE_WEIGHTS)
        self.platform_choice = _Chooser(PLATFORMS)
        self.perceiver_choice = _Chooser(PERCEIVERS)
        self.centre_perceiver_choice = _Chooser(CENTRE_PERCEIVERS)
        self.scenario_choice = _Chooser([(key, weight) for key, (weight, _, _) in SCENARIOS.items()])
        self.outcome_choice = _Chooser(OUTCOMES)
        self.mps_actor_choice = _Chooser(MPS_ACTORS)
        self.so_sub_choice = _Chooser(SO_SUBS)
        self.disability_sub_choice = _Chooser(DISABILITY_SUBS)
        self.ethnicity_choice = {pool: _Chooser(pairs) for pool, pairs in ETHNICITY_FOR_POOL.items()}
        self.hotspots: dict[str, list[LocationPlan]] = {}
        self._build_days()

    # ---- time -------------------------------------------------------------------------------

    def _event_extra(self, day: date) -> dict[str, float]:
        extra: dict[str, float] = {}
        for event in self.events:
            elapsed = (day - event.starts_on).days
            if 0 <= elapsed < event.lasts_days:
                decay = 0.5 ** (elapsed / event.half_life_days)
                for motive, surge in event.surge.items():
                    extra[motive] = extra.get(motive, 0.0) + surge * decay
        return extra

    def _build_days(self) -> None:
        days: list[date] = []
        weights: list[float] = []
        self.day_extra: dict[date, dict[str, float]] = {}
        total_days = (self.last_day - self.first_day).days + 1
        for offset in range(total_days):
            day = self.first_day + timedelta(days=offset)
            base = MONTH_FACTORS[day.month - 1] * WEEKDAY_FACTORS[day.weekday()] * (1 + 0.04 * offset / 365)
            extra = self._event_extra(day)
            if extra:
                self.day_extra[day] = extra
            surge = sum(MOTIVE_BY_KEY[key].share * value for key, value in extra.items())
            days.append(day)
            weights.append(base * (1.0 + surge))
        self.days = days
        self.day_cumulative = list(itertools.accumulate(weights))

    def _day(self) -> date:
        point = self.rng.random() * self.day_cumulative[-1]
        return self.days[bisect.bisect_right(self.day_cumulative, point)]

    def _motive_on(self, day: date) -> tuple[str, float]:
        """A motive for a record on ``day``, and the share of that motive's volume due to events."""
        extra = self.day_extra.get(day)
        if not extra:
            return self.motive_choice(self.rng), 0.0
        pairs = [(m.key, m.share * (1.0 + extra.get(m.key, 0.0))) for m in MOTIVES]
        key = _Chooser(pairs)(self.rng)
        boost = extra.get(key, 0.0)
        return key, boost / (1.0 + boost)

    def _event_online_share(self, day: date, motive: str) -> float:
        share = 0.0
        for event in self.events:
            elapsed = (day - event.starts_on).days
            if 0 <= elapsed < event.lasts_days and motive in event.surge:
                share = max(share, event.online_share)
        return share

    # ---- people and places ------------------------------------------------------------------

    def _pool_for(self, motive: Motive) -> str:
        if motive.name_pool and self.rng.random() < 0.8:
            return motive.name_pool
        return self.rng.choice(names.ALL_POOLS)

    def _phone(self) -> str:
        if self.rng.random() < 0.75:
            return f"07700 900{self.rng.randrange(1000):03d}"
        return f"020 7946 0{self.rng.randrange(1000):03d}"

    def _postcode(self, borough: Borough) -> str:
        letters = names.INWARD_LETTERS
        return f"{self.rng.choice(borough.districts)} {self.rng.randrange(1, 10)}{self.rng.choice(letters)}{self.rng.choice(letters)}"

    def _street(self) -> str:
        return f"{self.rng.choice(names.STREET_WORDS)} {self.rng.choice(names.STREET_ENDINGS)}"

    def _person(self, *, role: str, pool: str, motive: Motive | None, borough: Borough, on: date,
                full: bool) -> PersonPlan:
        rng = self.rng
        given_names, family_names = names.NAME_POOLS[pool]
        given, family = rng.choice(given_names), rng.choice(family_names)
        band = rng.random()
        age = 12 + int(band * 30) if band < 0.65 else 18 + int(rng.random() * 68)
        dob = on - timedelta(days=age * 365 + rng.randrange(365))
        equality: dict[str, str] = {}
        if full and rng.random() < 0.7:
            equality = self._equality(pool=pool, motive=motive, age=age)
        elif full and rng.random() < 0.3:
            equality = {"ethnicity": "prefer_not_to_say", "religion": "prefer_not_to_say"}
        street = self._street()
        postcode = self._postcode(borough) if full and rng.random() < 0.6 else ""
        return PersonPlan(
            role=role,
            given_name=given,
            family_name=family,
            date_of_birth=dob if full or rng.random() < 0.4 else None,
            email=f"{given}.{family}{rng.randrange(10, 99)}@example.org".lower() if full and rng.random() < 0.3 else "",
            phone=self._phone() if full and rng.random() < 0.7 else "",
            address=f"{rng.randrange(1, 180)} {street}, London" if postcode else "",
            postcode=postcode,
            equality=equality,
        )

    def _equality(self, *, pool: str, motive: Motive | None, age: int) -> dict[str, str]:
        rng = self.rng
        values: dict[str, str] = {
            "ethnicity": self.ethnicity_choice[pool](rng),
            "sex": rng.choice(("female", "male", "male")),
            "age_band": _age_band(age),
        }
        if pool in RELIGION_FOR_POOL:
            values["religion"] = RELIGION_FOR_POOL[pool]
        elif motive and motive.key in ("anti_sikh", "anti_hindu", "anti_christian"):
            values["religion"] = {"anti_sikh": "sikh", "anti_hindu": "hindu", "anti_christian": "christian"}[motive.key]
        elif rng.random() < 0.5:
            values["religion"] = rng.choice(("no_religion", "christian", "christian", "muslim", "hindu", "not_known"))
        if motive and motive.strand == "sexual_orientation":
            values["sexual_orientation"] = rng.choice(("gay_lesbian", "gay_lesbian", "bisexual", "prefer_not_to_say"))
        if motive and motive.strand == "transgender":
            values["gender_identity"] = rng.choice(("trans_woman", "trans_man", "non_binary"))
        if motive and motive.strand == "disability":
            values["disability"] = rng.choice(("yes_limited_a_lot", "yes_limited_a_little"))
        if motive and motive.strand == "sex_misogyny":
            values["sex"] = "female"
        return values

    def _place(self, category: str, motive: Motive | None) -> str:
        template = self.rng.choice(PLACES[category])
        text = template.format(street=self._street(), street2=self._street(), n=self.rng.randrange(12, 480))
        if category == "place_of_worship" and motive and motive.key in WORSHIP:
            text = text.replace("a place of worship", WORSHIP[motive.key])
        return text

    def _category(self, motive: Motive | None) -> str:
        rng = self.rng
        if motive is not None:
            if motive.strand in ("sexual_orientation", "transgender") and rng.random() < 0.15:
                return "lgbt_venue"
            if motive.strand == "religion" and rng.random() < 0.2:
                return "place_of_worship"
            if motive.strand == "disability" and rng.random() < 0.2:
                return "public_transport"
        category = self.place_choice(rng)
        if category == "place_of_worship" and (motive is None or motive.key not in WORSHIP):
            return "street"
        return category

    def _fresh_location(self, borough: Borough, category: str, motive: Motive | None) -> LocationPlan:
        rng = self.rng
        return LocationPlan(
            description=self._place(category, motive),
            postcode=self._postcode(borough),
            borough=borough.gss,
            latitude=round(borough.latitude + rng.uniform(-0.018, 0.018), 5),
            longitude=round(borough.longitude + rng.uniform(-0.028, 0.028), 5),
            location_type=category,
        )

    def _hotspot(self, borough: Borough) -> LocationPlan:
        spots = self.hotspots.get(borough.gss)
        if spots is None:
            spots = [
                self._fresh_location(borough, category, None)
                for category in ("public_transport", "street", "shop", "pub_bar_restaurant")
            ]
            self.hotspots[borough.gss] = spots
        return self.rng.choice(spots)

    def _repeat_victims(self) -> list[_Victim]:
        victims: list[_Victim] = []
        for number in range(max(4, self.count // 35)):
            motive = MOTIVE_BY_KEY[self.motive_choice(self.rng)]
            chooser = self.borough_choice.get(motive.key, self.any_borough)
            borough = BOROUGH_BY_GSS[chooser(self.rng)]
            person = replace(
                self._person(role="victim", pool=self._pool_for(motive), motive=motive, borough=borough,
                             on=self.last_day, full=True),
                key=f"repeat-victim-{number}",
            )
            home = LocationPlan(
                description=f"outside the victim's home on {self._street()}",
                postcode=person.postcode or self._postcode(borough),
                borough=borough.gss,
                latitude=round(borough.latitude + self.rng.uniform(-0.018, 0.018), 5),
                longitude=round(borough.longitude + self.rng.uniform(-0.028, 0.028), 5),
                location_type="home",
            )
            neighbour = replace(
                self._person(role="subject", pool="british", motive=None, borough=borough,
                             on=self.last_day, full=False),
                key=f"repeat-subject-{number}",
            )
            victims.append(_Victim(person=person, motive=motive.key, borough=borough.gss, home=home,
                                   neighbour=neighbour))
        return victims

    # ---- records ----------------------------------------------------------------------------

    def _organisation(self, motive: Motive | None) -> str:
        roll = self.rng.random()
        if motive is None:
            return "mps"
        centre = CENTRE_FOR_MOTIVE.get(motive.key) or CENTRE_FOR_MOTIVE.get(motive.strand)
        if centre and roll < 0.15:
            return centre
        if roll < 0.01:
            return "harbour"
        if roll < 0.016:
            return "eastside"
        if roll < 0.022:
            return "southfield"
        if roll < 0.030:
            return "thameside"
        return "mps"

    def _status(self, *, organisation: str, kind: str, age_days: int) -> tuple[str, bool]:
        roll = self.rng.random()
        if organisation != "mps" or kind == "other_crime":
            closed_share = 0.1 if age_days < 30 else 0.7
            return ("closed" if roll < closed_share else "recorded"), False
        table: tuple[tuple[str, float], ...]
        if age_days < 14:
            table = (("draft", 0.04), ("recorded", 0.59), ("under_investigation", 0.95), ("closed", 1.0))
        elif age_days < 90:
            table = (("recorded", 0.2), ("under_investigation", 0.55), ("closed", 1.0))
        else:
            table = (("recorded", 0.06), ("under_investigation", 0.10), ("closed", 1.0))
        status = next(name for name, upper in table if roll < upper)
        if kind == "nchi" and status == "under_investigation":
            status = "recorded"
        via = status == "closed" and kind == "hate_crime" and self.rng.random() < 0.4
        return status, via

    def _close_reason(self, *, organisation: str, kind: str) -> str:
        """Why a record closed, in the closer's words; close_reason_code gives its listed reason."""
        if organisation != "mps":
            return self.rng.choice((
                "Support completed: advice and safety planning given.",
                "Person reporting wants no further action.",
                "Could not contact the person reporting after three attempts.",
            ))
        if kind == "nchi":
            return self.rng.choice((
                "Recorded as a non-crime hate incident; words of advice given, no further police action.",
                "Person reporting wants no further action; reassurance given.",
            ))
        if kind == "other_crime":
            return "Crime outcome assigned: investigation complete, no suspect identified (outcome 18)."
        number = self.outcome_choice(self.rng)
        return f"Crime outcome assigned: {OUTCOME_WORDS[number]} (outcome {number})."

    def _plan_one(self, index: int, victims: list[_Victim]) -> RecordPlan:
        rng = self.rng
        day = self._day()
        motive_key, event_share = self._motive_on(day)
        repeat: _Victim | None = None
        if rng.random() < 0.12:
            repeat = rng.choice(victims)
            motive_key, event_share = repeat.motive, 0.0
        motive: Motive | None = MOTIVE_BY_KEY[motive_key]
        organisation = self._organisation(motive)
        hidden = ""  # the hostility in an other crime nobody flagged (screening's to find)
        if organisation == "mps" and repeat is None and rng.random() < 0.04:
            kind, motive = "other_crime", None
            hidden = motive_key
        elif organisation == "mps":
            kind = "nchi" if rng.random() < 0.18 else "hate_crime"
        elif organisation in ("northbridge", "crescent", "prism"):
            kind = "nchi" if rng.random() < 0.5 else "hate_crime"
        else:
            kind = "nchi" if rng.random() < 0.3 else "hate_crime"

        # Where.
        if repeat is not None:
            borough = BOROUGH_BY_GSS[repeat.borough]
        elif organisation == "eastside":
            borough = BOROUGH_BY_GSS[rng.choice(EAST_BOROUGHS)]
        elif organisation == "southfield":
            borough = BOROUGH_BY_GSS[rng.choice(SOUTH_BOROUGHS)]
        else:
            chooser = self.borough_choice.get(motive.key if motive else "", None)
            if chooser is None and motive is not None:
                chooser = self.borough_choice.get(motive.strand)
            borough = BOROUGH_BY_GSS[(chooser or self.any_borough)(rng)]
        online_chance = (0.2 if organisation in CENTRE_FOR_MOTIVE.values() else 0.05)
        if motive is not None:
            online_chance += self._event_online_share(day, motive.key) * event_share
        is_online = kind != "other_crime" and rng.random() < online_chance
        platform = self.platform_choice(rng) if is_online else None
        if is_online:
            location = LocationPlan(
                description=f"Online ({PLATFORM_WORDS[platform or 'other']})", postcode="", borough=borough.gss,
                latitude=None, longitude=None, location_type="online", online_platform=platform,
            )
        elif repeat is not None and rng.random() < 0.6:
            location = repeat.home
        elif organisation == "thameside":
            location = self._fresh_location(borough, "home", motive)
        elif rng.random() < 0.15:
            location = self._hotspot(borough)
        else:
            location = self._fresh_location(borough, self._category(motive), motive)

        # When.
        hour = _Chooser([(str(h), w) for h, w in enumerate(HOUR_WEIGHTS)])(rng)
        reported_at = datetime(day.year, day.month, day.day, int(hour), rng.randrange(60), tzinfo=UTC)
        delay_roll = rng.random()
        centre = organisation != "mps"
        if delay_roll < (0.3 if centre else 0.6):
            delay = timedelta(minutes=rng.randrange(5, 180))
        elif delay_roll < (0.6 if centre else 0.85):
            delay = timedelta(hours=rng.randrange(3, 48))
        else:
            delay = timedelta(days=rng.randrange(2, 30))
        occurred_from = reported_at - delay
        occurred_to = occurred_from + timedelta(minutes=rng.randrange(10, 90)) if rng.random() < 0.2 else None
        if occurred_to is not None and occurred_to > reported_at:
            occurred_to = reported_at

        # What.
        strands: list[tuple[str, str | None, str]] = []
        offences: list[tuple[str, bool]] = []
        if is_online:
            scenario = "online"
        elif kind == "other_crime":
            # An officer who did not see the hostility records the crime as any other: the narrative
            # reads like a hate crime's, with no strand and no flag.
            hostile = rng.random() < UNFLAGGED_HOSTILITY
            scenario = self.scenario_choice(rng) if hostile else "other_crime"
            hidden = hidden if hostile else ""
        elif kind == "nchi":
            scenario = "nchi"
        elif repeat is not None and rng.random() < 0.6:
            scenario = "harassment"
        else:
            scenario = self.scenario_choice(rng)
        if motive is not None:
            perceiver = (self.centre_perceiver_choice if centre else self.perceiver_choice)(rng)
            strands.append((motive.strand, self._sub_category(motive), perceiver))
            second = SECOND_STRAND.get(motive.key)
            second_chance = 0.15 if motive.key == "anti_muslim" else 0.06
            if second is not None and rng.random() < second_chance:
                strands.append((second[0], second[1], perceiver))
        if kind == "hate_crime":
            if scenario == "online":
                offences.append(("8R", False) if rng.random() < 0.7 else ("8M", True))
            else:
                _, basic, aggravated = SCENARIOS[scenario]
                use_aggravated = (
                    aggravated is not None and motive is not None and motive.strand in AGGRAVATED_STRANDS
                    and rng.random() < 0.7
                )
                offences.append((aggravated, True) if use_aggravated and aggravated else (basic, False))
        # The wording follows the sub-category where there is one ("biphobic", "learning disability").
        sub_category = strands[0][1] if strands else None
        wording = sub_category if sub_category in narratives.MOTIVE_PHRASES else (motive.key if motive else hidden or "other")
        text = narratives.narrative(
            rng, scenario=scenario, motive=wording, place=location.description
            if not is_online else "online", platform=PLATFORM_WORDS.get(platform or "", ""), centre=centre,
        )

        # Who.
        people: list[PersonPlan] = []
        if repeat is not None:
            people.append(repeat.person)
        else:
            pool = self._pool_for(motive) if motive else rng.choice(names.ALL_POOLS)
            people.append(self._person(role="victim", pool=pool, motive=motive, borough=borough, on=day, full=True))
            if rng.random() < 0.08:
                people.append(self._person(role="victim", pool=pool, motive=motive, borough=borough, on=day, full=True))
        if repeat is not None and scenario == "harassment" and rng.random() < 0.7:
            people.append(repeat.neighbour)
        elif rng.random() < (0.6 if scenario in ("harassment", "threats") else 0.25):
            people.append(self._person(role="subject", pool=rng.choice(names.ALL_POOLS), motive=None,
                                       borough=borough, on=day, full=False))
        if rng.random() < 0.1:
            people.append(self._person(role="witness", pool=rng.choice(names.ALL_POOLS), motive=None,
                                       borough=borough, on=day, full=False))
        if centre and rng.random() < 0.25:
            people.append(self._person(role="reporter", pool=rng.choice(names.ALL_POOLS), motive=None,
                                       borough=borough, on=day, full=False))

        # Who records it, and what happened to it since.
        age_days = (self.last_day - day).days
        status, via = self._status(organisation=organisation, kind=kind, age_days=age_days)
        if organisation == "mps":
            actor = "call.handler" if status == "draft" else self.mps_actor_choice(rng)
            if actor == "hub.reviewer" and not strands:
                # Hub reviewers only see strand-carrying records, so could not move this one on.
                actor = "officer"
            team = next((name for name, gss in CSU_BOROUGHS.items() if gss == borough.gss), HUB)
        else:
            actor = f"caseworker.{organisation}"
            if organisation in ("northbridge", "crescent", "prism") and rng.random() < 0.2:
                actor = f"manager.{organisation}"
            team = None
        share = ""
        if organisation in SHARING_CENTRES and rng.random() < SHARE_CHANCE[kind]:
            # Crimes mostly go to the police with the victim's consent; incidents anonymised.
            full = kind == "hate_crime" and rng.random() < 0.75
            share = "full" if full else "anonymised"
        flags_home = location.location_type == "home"
        return RecordPlan(
            source_reference=f"demo-{self.seed}-{index:06d}",
            organisation=organisation,
            actor=actor,
            team=team,
            kind=kind,
            status=status,
            via_investigation=via,
            close_reason=self._close_reason(organisation=organisation, kind=kind) if status == "closed" else "",
            reported_at=reported_at,
            occurred_from=occurred_from,
            occurred_to=occurred_to,
            location=location,
            is_online=is_online,
            is_domestic_abuse=flags_home and rng.random() < 0.1,
            is_asb_related=rng.random() < (0.35 if flags_home or scenario == "harassment" else 0.05),
            is_alcohol_drug_related=rng.random() < (0.5 if location.location_type == "pub_bar_restaurant" else 0.08),
            strands=tuple(strands),
            offences=tuple(offences),
            people=tuple(people),
            narrative=text,
            share_with_police=share,
        )

    def _sub_category(self, motive: Motive) -> str | None:
        if motive.sub_category is not None:
            return motive.sub_category
        if motive.strand == "sexual_orientation":
            return self.so_sub_choice(self.rng)
        if motive.strand == "disability" and self.rng.random() < 0.7:
            return self.disability_sub_choice(self.rng)
        return None

    def plan(self) -> list[RecordPlan]:
        """Every record, oldest first, so references count up with time."""
        victims = self._repeat_victims()
        drafts = [self._plan_one(i, victims) for i in range(self.count)]
        drafts.sort(key=lambda plan: plan.reported_at)
        # Renumber after sorting so source references follow time too.
        return [
            _with_reference(plan, f"demo-{self.seed}-{position:06d}") for position, plan in enumerate(drafts)
        ]


def _with_reference(plan: RecordPlan, reference: str) -> RecordPlan:
    return replace(plan, source_reference=reference)


def _age_band(age: int) -> str:
    for upper, code in ((17, "under_18"), (24, "18_24"), (34, "25_34"), (44, "35_44"), (54, "45_54"), (64, "55_64")):
        if age <= upper:
            return code
    return "65_plus"


def plan_records(*, seed: int, records: int, anchor: datetime) -> list[RecordPlan]:
    return Planner(seed=seed, records=records, anchor=anchor).plan()


def events_in_window(anchor: datetime) -> tuple[TriggerEvent, ...]:
    last_day = anchor.date() - timedelta(days=1)
    return trigger_events(last_day - timedelta(days=365 * YEARS - 1))


# The listed closure reason (reference data "status_reason") each of _close_reason's wordings has.
_CLOSE_REASON_CODES = (
    ("Crime outcome assigned", "outcome_assigned"),
    ("Support completed", "support_completed"),
    ("Person reporting wants no further action", "no_further_action_wanted"),
    ("Could not contact", "no_contact"),
    ("Recorded as a non-crime hate incident; words of advice given", "nchi_resolved_advice"),
)


def close_reason_code(words: str) -> str:
    return next((code for start, code in _CLOSE_REASON_CODES if words.startswith(start)), "other")
