"""Contrastive training examples: ordinary crime that mentions who someone is and is not hate, and
hostility said in the words people use.

A model trained only on what a force recorded learns that naming an identity *is* hate, because
the hate crimes name one and the rest of the crime feed rarely does. These examples, written by the
team, teach it otherwise: victims and places described by identity in ordinary crime, a place of
worship or community venue that is only where it happened, hostility asked about and denied, abuse
of people for reasons that are not protected, anger at things, and swearing at no one. Each is
'not hate' for every label.

Beside them, their hateful counterparts: hostility expressed as it is, not as an officer sums it up
("racially abusive language") — slurs as officers write them (part-masked, and spelt out),
threats, dehumanising talk, "go back where you came from", and the victim's own account of why
they were targeted — for every strand, each 'hate' and its strand.

They are added to the training rows only, never to the held-out rows the card's figures come from,
and the training summary counts them as a source of their own. Their wording is not the functional
evaluation's (``umbrella/screening/functional.py``): a test checks that no case appears here.
"""

from __future__ import annotations

import random

from umbrella.screening.model import HATE, Example

PEOPLE = (
    "a Black woman", "an Asian man", "a Somali teenager", "a Romanian delivery rider", "an Irish Traveller",
    "a Chinese student", "a Nigerian nurse", "a Turkish barber", "an Indian family", "a refugee from Syria",
    "a Jewish pensioner", "a Muslim man in his forties", "a Hindu couple", "a Sikh shop owner", "a Christian pastor",
    "an Orthodox Jewish family", "a woman wearing a hijab", "a lesbian couple", "a gay teenager", "a bisexual man",
    "a transgender man", "a non-binary student", "a deaf woman", "a blind man with a guide dog", "an autistic boy",
    "a man with schizophrenia", "a woman who uses a wheelchair", "a man with Down's syndrome", "a young mother",
    "a female cyclist", "an elderly woman", "a man with a prosthetic leg",
)
VENUES = (
    "the mosque", "the synagogue car park", "the church hall", "the Hindu temple", "the gurdwara", "the gay bar",
    "the Pride office", "the deaf club", "the disability charity shop", "the women's centre",
    "the Somali community centre", "the Polish delicatessen", "the Traveller site", "the Jewish school",
    "the Islamic bookshop", "the LGBT+ community centre", "the mental health day centre", "the Chinese supermarket",
)
CRIMES = (
    "had a mobile phone taken from a cafe table", "found the car broken into and a satnav taken overnight",
    "had a parcel taken from the doorstep", "noticed card payments they had not made",
    "had a bicycle taken from a locked shed", "was sold a fake ticket online", "had a wallet pickpocketed on the tube",
    "had a moped stolen from the street", "found the garden shed forced and tools taken",
    "was overcharged by a rogue builder who then stopped answering calls",
)
PASSIVE_CRIMES = (
    "A catalytic converter was cut from a van parked at {venue}.",
    "The charity box at {venue} was taken by a male who walked off towards the high street.",
    "Lead was stripped from the roof of {venue} overnight.",
    "A minor collision happened outside {venue}; the other driver failed to stop.",
    "A laptop was taken from an unlocked office at {venue}.",
    "Two men were seen trying car door handles in the street behind {venue}; nothing was taken.",
    "Cash was taken from the till at {venue} by a member of staff, who has since been dismissed.",
)
ASPECTS = ("race", "religion", "faith", "sexuality", "disability", "gender identity", "ethnicity", "nationality",
           "skin colour", "accent", "appearance")
NEGATIONS = (
    "{person_cap} {crime}. Asked whether they felt targeted because of their {aspect}, the victim said no.",
    "{person_cap} {crime}. The victim does not perceive any hostility towards their {aspect} and none is apparent.",
    "{person_cap} {crime}. Officers found nothing to suggest the victim was chosen because of their {aspect}.",
    "{person_cap} {crime}. There is no indication of a hate motive; the suspect did not know the victim.",
)
INSULTS = ("a liar", "an idiot", "a cheat", "a waste of space", "a thief", "a joke", "pathetic", "a loser", "useless")
DISPUTES = ("a parking space", "an unpaid debt", "noise from a party", "a football result", "a queue at the till",
            "a bill for repairs", "a fence between the gardens", "a cancelled order", "a shared driveway")
NON_PROTECTED = (
    "During an argument about {dispute} the suspect called the victim {insult} and pushed past them.",
    "The neighbour shouted that the victim was {insult} over {dispute} and slammed the door.",
    "A customer called the shop manager {insult} in a row about {dispute}; no threats were made.",
    "The suspect sent messages calling the victim {insult} after a falling-out over {dispute}.",
)
OBJECTS = (
    "A male punched the ticket machine at the station after it rejected his card, damaging the screen.",
    "The suspect kicked a bus shelter panel in, shouting that the bus was late again.",
    "A man smashed the self-checkout screen after it stopped working and left the shop.",
    "The suspect threw a chair at the vending machine when it failed to give change.",
    "The suspect kicked the speed camera post and swore at it before driving off.",
)
PROFANITY = (
    "A man was drunk and shouting obscenities in the high street at 2am; he was arrested for being drunk and disorderly.",
    "Youths were swearing loudly and playing music outside the shops; residents complain of the noise.",
    "The suspect was swearing throughout the arrest for shoplifting but made no other remarks.",
)
POSITIVE = (
    "{person_cap} who volunteers at {venue} {crime}. Staff there described the victim as a valued member of the "
    "community.",
    "{person_cap} {crime} while at a community celebration at {venue}.",
)


# Per strand: the people hostility is aimed at, the victim, the words, and what it is about.
HOSTILE_TERMS: dict[str, dict[str, tuple[str, ...]]] = {
    "race": {
        "people": ("Black people", "Asians", "Africans", "Pakistanis", "Eastern Europeans", "immigrants", "Travellers",
                   "Roma", "Chinese people", "Somalis", "Arabs", "foreigners"),
        "person": ("the victim, who is Black", "the victim, who is of Pakistani heritage", "the Polish victim",
                   "the victim, an Irish Traveller", "the Chinese victim", "the victim, who is mixed race",
                   "the victim, a Romanian national", "the Somali victim"),
        "slur": ("n****r", "n*gger", "nig", "p**i", "paki", "pak1", "ch*nk", "chink", "g*ppo", "gyppo", "pikey", "wog",
                 "c**n", "coon", "monkey", "immigrant scum"),
        "trait": ("skin colour", "race", "ethnicity", "nationality", "accent", "heritage"),
    },
    "religion": {
        "people": ("Jews", "Muslims", "Sikhs", "Hindus", "Christians", "Zionists"),
        "person": ("the victim, who is Jewish", "the victim, who wears a hijab", "the victim, who wears a turban",
                   "the Muslim victim", "the victim, an Orthodox Jew", "the victim, a Hindu priest"),
        "slur": ("y*d", "yid", "k*ke", "kike", "muzzie", "muzz", "r*ghead", "raghead", "towelhead", "t*welhead",
                 "terrorist", "bomber"),
        "trait": ("religion", "faith", "hijab", "kippah", "turban", "beliefs"),
    },
    "sexual_orientation": {
        "people": ("gay people", "gays", "lesbians", "bisexuals", "queers", "homosexuals"),
        "person": ("the victim, who is gay", "the lesbian victim", "the victim, a bisexual man",
                   "the victim and his boyfriend", "the victim and her girlfriend"),
        "slur": ("f****t", "faggot", "fag", "f*g", "f@g", "poof", "p**f", "d*ke", "dyke", "batty boy", "lezza", "queer"),
        "trait": ("sexuality", "sexual orientation", "relationship", "being gay"),
    },
    "transgender": {
        "people": ("trans people", "trans women", "trans men", "transgender people", "trannies"),
        "person": ("the victim, who is transgender", "the victim, a trans woman", "the victim, a trans man",
                   "the non-binary victim"),
        "slur": ("tr***y", "tranny", "trannie", "sh*male", "shemale", "it", "a man in a dress", "ladyboy"),
        "trait": ("gender identity", "being trans", "transition", "gender"),
    },
    "disability": {
        "people": ("disabled people", "cripples", "the disabled", "people like him in wheelchairs", "autistic people",
                   "mental patients"),
        "person": ("the victim, who uses a wheelchair", "the victim, who has a learning disability",
                   "the autistic victim", "the victim, who is blind", "the deaf victim", "the victim, who has Down's syndrome"),
        "slur": ("r****d", "retard", "r*tard", "spaz", "sp*z", "mong", "m*ng", "cr*pple", "cripple", "psycho",
                 "window licker", "freak"),
        "trait": ("disability", "wheelchair", "learning disability", "autism", "blindness", "speech"),
    },
    "sex_misogyny": {
        "people": ("women", "girls", "feminists", "females"),
        "person": ("the victim, a young woman", "the female victim", "the victim, a woman walking alone",
                   "the woman driver"),
        "slur": ("sl*t", "slut", "slag", "sl@g", "wh*re", "whore", "b*tch", "bitch", "skank"),
        "trait": ("sex", "being a woman", "gender"),
    },
}
HOSTILE = (
    "The suspect repeatedly called {person} a '{slur}' in front of other passengers.",
    "{person_cap} was told that {slur}s like them should be hanged by the man next door.",
    "The suspect said all {people} are scum who should be gassed.",
    "A message sent to {person} said {people} are rats and a disease and the family would be dealt with.",
    "{person_cap} was followed home by two men shouting '{slur}' and threatening to cut them.",
    "Stickers saying '{people} out' and '{slur}' were stuck on the door of {person}.",
    "The victim feels they were targeted because of their {trait}; the suspect sneered about {people} while "
    "kicking them.",
    "{person_cap} was punched after the suspect asked if they were one of those {people}.",
    "The word '{slur}' was scratched into the car belonging to {person}.",
    "The suspect posted that {people} are subhuman parasites and tagged {person} in the post.",
    "{person_cap} believes the attack happened because of their {trait}, as the group laughed and called them "
    "a {slur}.",
    "The suspect told {person} that {people} were not welcome on the estate and that they would burn them out.",
)
GO_BACK = (
    "The suspect told {person} to get out of Britain and go back where they belong.",
    "{person_cap} was told 'go home to your own country, you don't belong here' by a man at the bus stop.",
    "A neighbour shouted at {person} that {people} should be deported and sent back on boats.",
)


def _person(rng: random.Random) -> str:
    person = rng.choice(PEOPLE)
    return person[:1].upper() + person[1:]


def contrastive_texts(n: int, *, seed: int) -> list[str]:
    """``n`` texts, the same for the same seed, spread evenly over the kinds above."""
    rng = random.Random(seed)
    makers = (
        lambda: f"{_person(rng)} {rng.choice(CRIMES)}.",
        lambda: rng.choice(PASSIVE_CRIMES).format(venue=rng.choice(VENUES)),
        lambda: rng.choice(NEGATIONS).format(person_cap=_person(rng), crime=rng.choice(CRIMES),
                                             aspect=rng.choice(ASPECTS)),
        lambda: rng.choice(NON_PROTECTED).format(dispute=rng.choice(DISPUTES), insult=rng.choice(INSULTS)),
        lambda: rng.choice(OBJECTS),
        lambda: rng.choice(PROFANITY),
        lambda: rng.choice(POSITIVE).format(person_cap=_person(rng), venue=rng.choice(VENUES), crime=rng.choice(CRIMES)),
    )
    return [makers[i % len(makers)]() for i in range(n)]


def hostile_examples(n: int, *, seed: int) -> list[Example]:
    """``n`` hateful examples, the same for the same seed, strands in turn (no hierarchy between them)."""
    rng = random.Random(seed)
    strands = list(HOSTILE_TERMS)
    found = []
    for i in range(n):
        strand = strands[i % len(strands)]
        terms = HOSTILE_TERMS[strand]
        templates = HOSTILE + GO_BACK if strand in ("race", "religion") else HOSTILE
        person = rng.choice(terms["person"])
        text = rng.choice(templates).format(
            person=person, person_cap=person[:1].upper() + person[1:], people=rng.choice(terms["people"]),
            slur=rng.choice(terms["slur"]), trait=rng.choice(terms["trait"]),
        )
        found.append(Example(text, frozenset({HATE, strand})))
    return found


def contrastive_examples(n: int, *, seed: int) -> list[Example]:
    """``n`` examples, half ordinary crime that names an identity (not hate), half hostility said as it is."""
    return [Example(text, frozenset()) for text in contrastive_texts(n - n // 2, seed=seed)] + hostile_examples(
        n // 2, seed=seed + 1)


def how_many(rows: int) -> int:
    """A quarter as many as the rows trained on, at least 500: enough to be heard, not to drown the data."""
    return max(500, rows // 4)
