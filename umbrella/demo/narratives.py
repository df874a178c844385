"""Short police-style narratives assembled from parts, so thousands of records read differently.

No narrative names anyone: people are "the victim", "the suspect", "a witness". Hostility is
described ("racially abusive language"), never quoted.
"""

from __future__ import annotations

import random

# What the hostility was about, as officers write it.
MOTIVE_PHRASES: dict[str, tuple[str, ...]] = {
    "anti_black": ("racially abusive language about the victim's skin colour", "racist remarks aimed at Black people"),
    "anti_asian": ("racially abusive language about the victim's Asian heritage", "racist remarks about the victim's ethnicity"),
    "xenophobic": ("abuse about the victim's accent and told them to go back to their own country",
                   "xenophobic comments about immigrants and asylum seekers"),
    "anti_gypsy_roma_traveller": ("abusive comments about Travellers", "anti-Roma abuse"),
    "race_other": ("racially abusive language", "racist comments about the victim's nationality"),
    "antisemitic": ("antisemitic abuse", "abuse about the victim being Jewish", "antisemitic conspiracy remarks"),
    "anti_muslim": ("anti-Muslim abuse", "abusive comments about the victim's headscarf",
                    "abuse about the victim being Muslim"),
    "anti_christian": ("abuse about the victim's Christian faith",),
    "anti_sikh": ("abuse about the victim's turban", "anti-Sikh remarks"),
    "anti_hindu": ("anti-Hindu remarks",),
    "religion_other": ("abuse about the victim's religion",),
    "sexual_orientation": ("homophobic abuse", "homophobic slurs after seeing the victim holding hands with their partner",
                           "abuse about the victim's sexuality"),
    "homophobic": ("homophobic abuse", "homophobic slurs after seeing the victim holding hands with their partner"),
    "biphobic": ("biphobic abuse", "abuse about the victim being bisexual"),
    "sexual_orientation_other": ("abuse about the victim's sexuality",),
    "disability_physical": ("mocking the victim's wheelchair", "abuse about the way the victim walks"),
    "disability_learning": ("disablist remarks about the victim's learning disability",),
    "disability_mental_health": ("abuse about the victim's mental health",),
    "disability_sensory": ("mocking the victim's hearing aids", "abuse about the victim's white cane"),
    "disability_other": ("abuse about the victim's disability",),
    "transgender": ("transphobic abuse", "abuse about the victim being transgender", "deliberately misgendering and mocking the victim"),
    "disability": ("abuse about the victim's disability", "mocking the victim's wheelchair",
                   "disablist remarks about the victim's learning disability"),
    "sex_misogyny": ("misogynistic abuse", "sexually explicit comments aimed at women"),
    "alternative_subculture": ("abuse about the victim's gothic clothing and make-up",),
    "sex_workers": ("abuse about the victim's work as a sex worker",),
    "age": ("abuse aimed at the victim because of their age",),
    "other": ("hostile comments about the victim's appearance",),
}

SCENARIOS: dict[str, tuple[str, ...]] = {
    "verbal": (
        "A {suspect} approached the victim {place} and used {motive}.",
        "The victim was {activity} {place} when a {suspect} began shouting {motive}.",
        "While {activity} {place}, the victim was subjected to {motive} by a {suspect}.",
    ),
    "assault_minor": (
        "A {suspect} used {motive} and then pushed the victim {place}.",
        "The victim was spat at by a {suspect} {place}, who used {motive}.",
        "{place_cap}, a {suspect} knocked the victim's phone from their hand while using {motive}.",
    ),
    "assault_injury": (
        "The victim was punched in the face by a {suspect} {place} after the suspect used {motive}. Cut to lip, treated by LAS at scene.",
        "A {suspect} used {motive} and struck the victim with a bottle {place}. Victim attended hospital with a head wound.",
    ),
    "harassment": (
        "The victim reports a course of conduct over several weeks by a {suspect} living nearby, including {motive}.",
        "The victim states a {suspect} has repeatedly waited for them {place} and used {motive}.",
    ),
    "damage": (
        "Graffiti containing {motive} was sprayed {place}.",
        "The victim's car was scratched {place} and a note containing {motive} left on the windscreen.",
        "Windows were smashed {place}; stickers containing {motive} were found nearby.",
    ),
    "online": (
        "The victim received messages via {platform} containing {motive}.",
        "A post on {platform} identified the victim and attracted {motive} from several accounts.",
        "The victim has been sent repeated messages on {platform} containing {motive} and threats.",
    ),
    "threats": (
        "A {suspect} threatened to kill the victim {place} and used {motive}.",
    ),
    "nchi": (
        "The victim overheard a {suspect} making {motive} {place}; no offence disclosed.",
        "Leaflets containing {motive} were left {place}. No criminal offence identified; recorded as a non-crime hate incident.",
        "A {suspect} made remarks amounting to {motive} {place}; the victim felt intimidated but no offence is disclosed.",
    ),
    "other_crime": (
        "Theft of a pedal cycle secured {place}. No witnesses.",
        "The victim's phone was snatched {place} by a {suspect} on a moped.",
        "Shoplifting reported {place}; a {suspect} left without paying.",
        "Criminal damage to a vehicle {place}; wing mirror broken.",
        "A {suspect} was abusive to staff {place} about the victim's accent before leaving.",
    ),
}
SUSPECTS = (
    "white male in his twenties", "male aged around 40 wearing a dark hoodie", "group of three teenage youths",
    "female in her thirties", "man in a high-visibility jacket", "white male aged 50-60 with a dog",
    "male cyclist", "group of men leaving a pub", "female with a pushchair", "male in a grey tracksuit",
    "neighbour known to the victim", "male passenger", "delivery rider", "older man with a walking stick",
)
ACTIVITIES = (
    "waiting for a bus", "walking home from work", "shopping", "walking with their children",
    "sitting with friends", "leaving a place of worship", "at work", "getting off a train",
)
# What was done next, by what fits the scenario: no arrest for a non-crime incident, no CCTV
# for an online message.
FOLLOW_UPS_ANY = (
    "Victim does not wish to provide a statement at this time.", "Victim given safety advice.",
    "Victim referred to victim support with consent.", "Victim shaken but not injured.",
    "Local policing team informed for reassurance patrols.", "Victim asked to report any further incidents.",
)
FOLLOW_UPS_IN_PERSON = (
    "CCTV requested from nearby premises.", "Body-worn video captured the victim's first account.",
    "House-to-house enquiries completed with negative result.", "Suspect made off in the direction of the station.",
    "Witness details obtained.", "Area search negative.", "Suspect is known to the victim; details on the record.",
)
FOLLOW_UPS_CRIME = ("Suspect detained at scene and arrested.", "Victim given crime prevention advice.")
FOLLOW_UPS_ONLINE = (
    "Screenshots provided by the victim and retained as evidence.",
    "Victim advised how to report and block the accounts on the platform.",
    "Account details recorded for a communications data request.",
)
FOLLOW_UPS_BY_SCENARIO: dict[str, tuple[str, ...]] = {
    "online": FOLLOW_UPS_ANY + FOLLOW_UPS_ONLINE,
    "nchi": FOLLOW_UPS_ANY + FOLLOW_UPS_IN_PERSON,
}
FOLLOW_UPS_DEFAULT = FOLLOW_UPS_ANY + FOLLOW_UPS_IN_PERSON + FOLLOW_UPS_CRIME
CENTRE_OPENINGS = (
    "Reported to the centre by telephone.", "Reported through the online form.", "Reported in person at a drop-in session.",
    "Reported by a friend on the victim's behalf.",
)


def narrative(
    rng: random.Random, *, scenario: str, motive: str, place: str, platform: str = "", centre: bool = False
) -> str:
    template = rng.choice(SCENARIOS[scenario])
    motive_text = rng.choice(MOTIVE_PHRASES.get(motive, MOTIVE_PHRASES["other"]))
    text = template.format(
        suspect=rng.choice(SUSPECTS), motive=motive_text, place=place, place_cap=place[:1].upper() + place[1:],
        activity=rng.choice(ACTIVITIES), platform=platform or "social media",
    )
    parts = [rng.choice(CENTRE_OPENINGS)] if centre else []
    parts.append(text)
    follow_ups = FOLLOW_UPS_BY_SCENARIO.get(scenario, FOLLOW_UPS_DEFAULT)
    parts.extend(rng.sample(follow_ups, k=rng.choice((1, 1, 2, 2, 3))))
    return " ".join(parts)
