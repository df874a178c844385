"""The functional evaluation: cases the team wrote for each behaviour that matters in police narratives.

A model is judged here on text it never saw, one behaviour at a time (the approach of HateCheck,
Röttger et al. 2021): hostility expressed or reported — slurs and their spellings, threats,
dehumanisation, "go back to your own country", hostility the victim reports, hateful graffiti — and
the ordinary narratives that must not fire: identity mentioned neutrally or warmly, a place of
worship or community venue that is only where something happened, hostility that is denied, abuse of
things or of people for reasons that are not protected, swearing with no target, and reclaimed
in-group words.

Cases come from templates filled in for each strand's groups, so every behaviour is tried on every
strand the same way (no hierarchy between strands). The wording is our own and is not the wording
of the synthetic training narratives (``umbrella/demo/narratives.py``): a test checks that no case
appears among them. Slurs are written part-masked, as officers write them in narratives.

``evaluate_predictor`` scores anything that maps texts to (hate?, likeliest strand) — the trained
model, the keyword baseline, or the TF–IDF + logistic regression baseline trained on the same
examples — so the three are compared in one run (the model card and ``make bench``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from umbrella.screening.model import HATE, ONLINE, TrainedModel

# Targets from the screening issue: recall on hateful cases, accuracy on the non-hateful
# behaviours that a model leaning on identity words gets wrong, and strand accuracy.
TARGETS = {"hateful_recall": 0.90, "non_hateful_accuracy": 0.75, "strand_accuracy": 0.90}
# The non-hateful behaviours the non-hateful target is judged on.
TARGETED_NON_HATEFUL = ("identity_neutral", "identity_positive", "place_as_location", "negated_hostility",
                        "non_protected_target")


@dataclass(frozen=True)
class Group:
    strand: str
    sub_category: str
    person: str  # "a Black man"
    people: str  # "Black people"
    identity: str  # what the victim is: "Black"
    slur: str  # part-masked, as officers write it
    variant: str  # another spelling of it
    venue: str  # a place of worship or community venue
    trait: str  # what hostility would be about: "skin colour"
    pronoun: str = "their"


GROUPS: tuple[Group, ...] = (
    Group("race", "anti_black", "a Black man", "Black people", "Black", "n****r", "n1gg3r",
          "African-Caribbean community centre", "skin colour", "his"),
    Group("race", "anti_asian", "a Pakistani shopkeeper", "Pakistanis", "Pakistani", "p**i", "p@ki",
          "Bangladeshi community centre", "ethnicity", "his"),
    Group("race", "xenophobic", "a Polish builder", "Eastern Europeans", "Polish", "foreign scum", "forin scum",
          "Polish Saturday school", "nationality", "his"),
    Group("religion", "antisemitic", "a Jewish man", "Jews", "Jewish", "y*d", "yid",
          "synagogue", "faith", "his"),
    Group("religion", "anti_muslim", "a Muslim woman", "Muslims", "Muslim", "r*ghead", "muzzie",
          "mosque", "religion", "her"),
    Group("religion", "anti_sikh", "a Sikh taxi driver", "Sikhs", "Sikh", "towel h**d", "towelhed",
          "gurdwara", "turban", "his"),
    Group("sexual_orientation", "homophobic", "a gay man", "gay people", "gay", "f****t", "f@gg0t",
          "LGBT+ bar", "sexuality", "his"),
    Group("sexual_orientation", "biphobic", "a bisexual woman", "bisexual people", "bisexual", "greedy d*ke", "dyke",
          "LGBT+ youth group", "sexuality", "her"),
    Group("transgender", "transgender", "a trans woman", "trans people", "transgender", "tr***y", "tr@nny",
          "trans support group", "gender identity", "her"),
    Group("disability", "disability_learning", "a man with a learning disability", "disabled people",
          "learning disabled", "r****d", "retard", "day centre for disabled adults", "disability", "his"),
    Group("disability", "disability_physical", "a wheelchair user", "cripples", "a wheelchair user", "cr*pple",
          "spaz", "disability sports club", "wheelchair", "her"),
    Group("sex_misogyny", "sex_misogyny", "a young woman", "women", "a woman", "sl*g", "slaag",
          "women's refuge", "sex", "her"),
)

HATEFUL_TEMPLATES: dict[str, tuple[str, ...]] = {
    "slur": (
        "The suspect called the victim, {person}, a '{slur}' and told {pronoun_obj} to get out of the shop.",
        "At the bus stop a male repeatedly shouted '{slur}' at the victim, who is {identity}, until the bus came.",
    ),
    "slur_variant": (
        "Messages sent to the victim called {pronoun_obj} a '{variant}' and said nobody wanted {pronoun_obj} here.",
    ),
    "threat": (
        "The suspect told the victim, {person}, that {people} deserve to be stabbed and that {pronoun_subj} would be first.",
        "A note pushed through the letterbox said the {people} in this house will be burnt out.",
    ),
    "dehumanisation": (
        "The neighbour told the victim that {people} are vermin and animals, not human beings, and should be wiped out.",
    ),
    "reported_hostility": (
        "The victim believes {pronoun_subj} was attacked because {pronoun_subj} is {identity}; the suspect ranted about "
        "{people} throughout the assault.",
        "The victim, {person}, says the landlord is harassing {pronoun_obj} out of hostility towards {people} and "
        "mocks {pronoun_poss} {trait}.",
    ),
    "graffiti": (
        "Graffiti reading 'no {people} here' and '{slur}' was sprayed across the door of the {venue} overnight.",
    ),
}
GO_BACK = (
    "The driver told the victim, {person}, to go back to {pronoun_poss} own country and stop stealing British jobs.",
    "A group of youths followed the victim shouting 'go home, you don't belong here' at {pronoun_obj} because "
    "{pronoun_subj} is {identity}.",
    "The suspect said {identity} people like the victim should be sent back where they came from and spat at "
    "{pronoun_obj}.",
)
NON_HATEFUL_TEMPLATES: dict[str, tuple[str, ...]] = {
    "identity_neutral": (
        "The victim, {person}, reports that {pronoun_poss} bicycle was stolen from the railway station rack.",
        "{person_cap} reported a burglary at {pronoun_poss} flat while at work; a laptop and jewellery were taken.",
    ),
    "identity_positive": (
        "The caller, {person}, thanked officers for their help and said the neighbours have been kind to {people} "
        "in the street. The report concerns a car broken into overnight.",
    ),
    "place_as_location": (
        "A bicycle was stolen from outside the {venue}; CCTV is being checked.",
        "Two cars collided in the car park of the {venue}; one driver left without exchanging details.",
    ),
    "negated_hostility": (
        "The victim, {person}, was clear that nothing was said about {pronoun_poss} {trait} and does not perceive "
        "the theft as hate-motivated.",
        "No hate element: the suspect made no comment about {people} at any point, the dispute was over a parking space.",
    ),
}
NON_PROTECTED = (
    "The suspect called the traffic warden a useless lazy parasite while the ticket was being issued.",
    "After the match a supporter screamed abuse at the referee, calling him a cheat and a disgrace.",
    "The driver called the cyclist an idiot and a moron after a near miss at the junction.",
    "The customer shouted that the bank staff were thieves and crooks when his card was declined.",
    "The suspect told the victim that landlords are scum and bloodsuckers and kicked the office door.",
    "The victim was called a grass and a snitch by a neighbour after giving a statement to police.",
)
ABUSE_OF_OBJECTS = (
    "The suspect swore at the parking machine, called it a useless piece of junk and kicked it until the screen cracked.",
    "A man was seen shouting at a cash machine that had kept his card and hitting it with his fist.",
    "The suspect threw the printer across the office, calling it rubbish.",
)
PROFANITY = (
    "A drunk male was shouting 'f*** off' at no one in particular outside the pub at closing time.",
    "The suspect swore loudly on the bus and was asked to leave by the driver; nobody was targeted.",
    "Youths were heard swearing in the stairwell late at night; the caller complains of noise only.",
)
RECLAIMED = (
    "The victim, who describes himself as a proud queer artist, reports his laptop stolen from the queer book club.",
    "The victim, who calls herself a crip rights activist, had her mobility scooter keys taken from her bag.",
    "The victim runs a dyke bar night and reports the cash box taken from behind the counter.",
)


@dataclass(frozen=True)
class Case:
    behaviour: str
    strand: str  # the expected strand ("" for a case with no strand)
    sub_category: str
    hateful: bool
    text: str


_PRONOUNS = {"his": ("he", "him", "his"), "her": ("she", "her", "her"), "their": ("they", "them", "their")}


def _fill(template: str, group: Group) -> str:
    subj, obj, poss = _PRONOUNS[group.pronoun]
    return template.format(
        person=group.person, person_cap=group.person[:1].upper() + group.person[1:], people=group.people,
        identity=group.identity, slur=group.slur, variant=group.variant, venue=group.venue, trait=group.trait,
        pronoun_subj=subj, pronoun_obj=obj, pronoun_poss=poss,
    )


def cases() -> list[Case]:
    """Every case, in a fixed order: hateful behaviours per group, then the non-hateful ones."""
    found: list[Case] = []
    for group in GROUPS:
        for behaviour, templates in HATEFUL_TEMPLATES.items():
            found.extend(Case(behaviour, group.strand, group.sub_category, True, _fill(t, group)) for t in templates)
        if group.strand == "race":
            found.extend(Case("go_back", group.strand, group.sub_category, True, _fill(t, group)) for t in GO_BACK)
    for group in GROUPS:
        for behaviour, templates in NON_HATEFUL_TEMPLATES.items():
            found.extend(Case(behaviour, group.strand, group.sub_category, False, _fill(t, group)) for t in templates)
    found.extend(Case("non_protected_target", "", "", False, text) for text in NON_PROTECTED)
    found.extend(Case("abuse_of_objects", "", "", False, text) for text in ABUSE_OF_OBJECTS)
    found.extend(Case("profanity_no_target", "", "", False, text) for text in PROFANITY)
    found.extend(Case("reclaimed_term", "", "", False, text) for text in RECLAIMED)
    return found


# --- predictors ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    hate: bool
    strand: str  # the likeliest strand ("" when the predictor names none)


Predictor = Callable[[Sequence[str]], list[Prediction]]


def model_predictor(model: TrainedModel, *, feature_fn: Callable[[str], Mapping[str, float]] | None = None,
                    threshold: float = 0.5) -> Predictor:
    """The trained model as the feed uses it: hate at ``threshold``; the strand with the highest probability."""
    strand_columns = [i for i, label in enumerate(model.labels) if label not in (HATE, ONLINE)]

    def predict(texts: Sequence[str]) -> list[Prediction]:
        features = [feature_fn(text) for text in texts] if feature_fn is not None and model.indicator_keys else None
        probabilities = model.predict_proba(texts, features)
        hate_column = model.labels.index(HATE)
        found = []
        for row in probabilities:
            strand = model.labels[max(strand_columns, key=lambda i: row[i])] if strand_columns else ""
            found.append(Prediction(bool(row[hate_column] >= threshold), strand))
        return found

    return predict


# The plain keyword baseline: identity and hostility words per strand (no slurs), whole words.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "race": ("black", "asian", "chinese", "african", "pakistani", "pakistanis", "indian", "polish", "immigrant",
             "immigrants", "migrant", "migrants", "refugee", "refugees", "foreigner", "foreigners", "foreign",
             "racist", "racial", "racially", "race", "skin colour", "traveller", "travellers", "roma",
             "go back to", "own country", "eastern europeans", "nationality", "ethnicity"),
    "religion": ("jew", "jews", "jewish", "muslim", "muslims", "islam", "islamic", "synagogue", "mosque",
                 "antisemitic", "christian", "sikh", "sikhs", "gurdwara", "hindu", "religion", "religious",
                 "headscarf", "turban", "faith"),
    "sexual_orientation": ("gay", "lesbian", "homosexual", "bisexual", "homophobic", "lgbt", "queer", "sexuality",
                           "biphobic"),
    "transgender": ("trans", "transgender", "transphobic", "misgendering", "gender identity"),
    "disability": ("disabled", "disability", "wheelchair", "autistic", "learning disability", "blind", "deaf",
                   "disablist", "mental health", "mobility"),
    "sex_misogyny": ("women", "woman", "girls", "female", "misogynistic", "misogyny"),
}
_KEYWORD_PATTERNS = {strand: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
                     for strand, words in KEYWORDS.items()}


def keyword_predictor(texts: Sequence[str]) -> list[Prediction]:
    """Hate when any strand's word appears; the strand with the most of its words."""
    found = []
    for text in texts:
        hits = {strand: len(pattern.findall(text)) for strand, pattern in _KEYWORD_PATTERNS.items()}
        best = max(hits, key=lambda strand: hits[strand])
        found.append(Prediction(hits[best] > 0, best if hits[best] else ""))
    return found


def tfidf_predictor(texts: Sequence[str], label_sets: Sequence[frozenset[str]], *, seed: int = 1) -> Predictor:
    """The TF–IDF + logistic regression baseline, trained on the same examples as the model."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)
    matrix = vectoriser.fit_transform(texts)
    strands = sorted({label for labels in label_sets for label in labels} - {HATE, ONLINE})
    fitted: dict[str, Any] = {}
    for label in [HATE, *strands]:
        y = np.array([label in labels for labels in label_sets], dtype=int)
        if 0 < y.sum() < len(y):
            fitted[label] = LogisticRegression(max_iter=1000, class_weight="balanced", random_state=seed).fit(matrix, y)

    def predict(new_texts: Sequence[str]) -> list[Prediction]:
        rows = vectoriser.transform(new_texts)
        hate = fitted[HATE].predict_proba(rows)[:, 1] if HATE in fitted else np.zeros(len(new_texts))
        by_strand = {s: fitted[s].predict_proba(rows)[:, 1] for s in strands if s in fitted}
        found = []
        for i in range(len(new_texts)):
            strand = max(by_strand, key=lambda s: by_strand[s][i]) if by_strand else ""
            found.append(Prediction(bool(hate[i] >= 0.5), strand))
        return found

    return predict


# --- scoring -------------------------------------------------------------------------------------


def _rate(right: int, total: int) -> float | None:
    return round(right / total, 4) if total else None


def evaluate_predictor(predict: Predictor, chosen: Sequence[Case] | None = None) -> dict[str, Any]:
    """Per behaviour, per strand and overall: how often the predictor was right.

    A hateful case is right when hate is predicted; its strand is right when the likeliest strand is
    the case's. A non-hateful case is right when hate is not predicted.
    """
    chosen = list(chosen) if chosen is not None else cases()
    predictions = predict([case.text for case in chosen])
    behaviours: dict[str, dict[str, Any]] = {}
    strands: dict[str, dict[str, int]] = {}
    for case, prediction in zip(chosen, predictions, strict=True):
        right = prediction.hate == case.hateful
        row = behaviours.setdefault(case.behaviour, {"hateful": case.hateful, "cases": 0, "right": 0})
        row["cases"] += 1
        row["right"] += int(right)
        if case.strand:
            tally = strands.setdefault(case.strand, {"hateful": 0, "found": 0, "strand_right": 0,
                                                     "non_hateful": 0, "cleared": 0})
            if case.hateful:
                tally["hateful"] += 1
                tally["found"] += int(prediction.hate)
                tally["strand_right"] += int(prediction.strand == case.strand)
            else:
                tally["non_hateful"] += 1
                tally["cleared"] += int(not prediction.hate)
    for row in behaviours.values():
        row["rate"] = _rate(row["right"], row["cases"])
    hateful = [(c, p) for c, p in zip(chosen, predictions, strict=True) if c.hateful]
    targeted = [(c, p) for c, p in zip(chosen, predictions, strict=True)
                if not c.hateful and c.behaviour in TARGETED_NON_HATEFUL]
    non_hateful = [(c, p) for c, p in zip(chosen, predictions, strict=True) if not c.hateful]
    summary: dict[str, Any] = {
        "hateful_recall": _rate(sum(p.hate for _, p in hateful), len(hateful)),
        "non_hateful_accuracy": _rate(sum(not p.hate for _, p in targeted), len(targeted)),
        "all_non_hateful_accuracy": _rate(sum(not p.hate for _, p in non_hateful), len(non_hateful)),
        "strand_accuracy": _rate(sum(p.strand == c.strand for c, p in hateful), len(hateful)),
        "cases": len(chosen),
    }
    summary["targets_met"] = all((summary[name] or 0.0) >= target for name, target in TARGETS.items())
    return {
        "summary": summary,
        "behaviours": behaviours,
        "strands": {strand: {**tally, "recall": _rate(tally["found"], tally["hateful"]),
                             "strand_accuracy": _rate(tally["strand_right"], tally["hateful"]),
                             "non_hateful_accuracy": _rate(tally["cleared"], tally["non_hateful"])}
                    for strand, tally in sorted(strands.items())},
    }


def compare(
    model: TrainedModel,
    *,
    texts: Sequence[str],
    label_sets: Sequence[frozenset[str]],
    feature_fn: Callable[[str], Mapping[str, float]] | None = None,
    seed: int = 1,
) -> dict[str, Any]:
    """The model beside the keyword baseline and a TF–IDF baseline trained on the model's own training texts."""
    return {
        "targets": TARGETS,
        "predictors": {
            "model": evaluate_predictor(model_predictor(model, feature_fn=feature_fn)),
            "tfidf_logistic": evaluate_predictor(tfidf_predictor(texts, label_sets, seed=seed)),
            "keywords": evaluate_predictor(keyword_predictor),
        },
    }
