"""The starter bias indicator rule set, shipped as data and seeded by ``seed_starter_ruleset()``.

CONTENT WARNING: this module lists slurs and hostile phrases. They exist only so that the
matching engine can recognise them; they must never appear in page text other than the rule
administration pages (system administrators, masked unless revealed). Reasons shown to
reviewers are generated from the target group ("slur targeting disabled people"), never the word.

Codes match umbrella/reference/seed.py (strands, sub-categories, location types, platforms).
Rules with strand ``online`` are the online-context pseudo-strand (not a hate strand): they
feed the classifier's ``online_context`` feature.

Terms and phrases are written in plain lower case; the engine folds case, width, accents-free
forms (NFKC) and leetspeak (0→o 1→i 3→e 4→a 5→s 7→t @→a $→s) before matching, so "r3tard" and
"F@G" are found by the plain entries. Patterns run over that folded text.
"""

from __future__ import annotations

from dataclasses import dataclass

STARTER_NOTE = "Starter rule set shipped with Umbrella"
ONLINE = "online"


@dataclass(frozen=True)
class StarterRule:
    strand: str
    sub_category: str
    kind: str
    value: str
    weight: float = 1.0
    is_slur: bool = False
    reason: str = ""
    note: str = ""


# Who a rule targets, in words reviewers read ("slur targeting ...").
TARGET_GROUPS: dict[tuple[str, str], str] = {
    ("race", ""): "people because of their race or ethnicity",
    ("race", "anti_black"): "Black people",
    ("race", "anti_asian"): "Asian people",
    ("race", "anti_gypsy_roma_traveller"): "Gypsy, Roma and Traveller people",
    ("race", "xenophobic"): "migrants and people seen as foreign",
    ("religion", ""): "people because of their religion",
    ("religion", "antisemitic"): "Jewish people",
    ("religion", "anti_muslim"): "Muslim people",
    ("religion", "anti_christian"): "Christian people",
    ("religion", "anti_sikh"): "Sikh people",
    ("religion", "anti_hindu"): "Hindu people",
    ("sexual_orientation", ""): "gay, lesbian and bisexual people",
    ("sexual_orientation", "homophobic"): "gay and lesbian people",
    ("sexual_orientation", "biphobic"): "bisexual people",
    ("transgender", ""): "transgender people",
    ("disability", ""): "disabled people",
    ("disability", "disability_learning"): "people with a learning disability",
    ("disability", "disability_mental_health"): "people with a mental health condition",
    ("disability", "disability_physical"): "people with a physical disability",
    ("sex_misogyny", ""): "women",
    ("alternative_subculture", ""): "people in an alternative subculture",
    ("sex_workers", ""): "sex workers",
    ("age", ""): "older people",
    ("other", ""): "a group of people",
    (ONLINE, ""): "online",
}


def target_group(strand: str, sub_category: str) -> str:
    return TARGET_GROUPS.get((strand, sub_category)) or TARGET_GROUPS.get((strand, ""), "a group of people")


def _slurs(strand: str, sub_category: str, words: str, weight: float = 1.0) -> list[StarterRule]:
    return [StarterRule(strand, sub_category, "term", w.strip(), weight, True) for w in words.split(",") if w.strip()]


def _phrases(strand: str, sub_category: str, phrases: list[str], weight: float = 0.8, *,
             is_slur: bool = False) -> list[StarterRule]:
    return [StarterRule(strand, sub_category, "phrase", p, weight, is_slur) for p in phrases]


def _pattern(strand: str, sub_category: str, regex: str, reason: str, weight: float = 0.8, *,
             is_slur: bool = False) -> StarterRule:
    return StarterRule(strand, sub_category, "pattern", regex, weight, is_slur, reason)


def _context(strand: str, sub_category: str, value: str, reason: str, weight: float = 0.3) -> StarterRule:
    return StarterRule(strand, sub_category, "context", value, weight, False, reason)


# Descriptions of hostility as officers write them ("homophobic abuse"): evidence in a narrative.
_ABUSE = r"(?:abuse|abusive|slurs?|remarks?|comments?|language|insults?|chants?|graffiti|taunts?|names)"

STARTER_RULES: tuple[StarterRule, ...] = (
    # --- race -------------------------------------------------------------------------------
    *_slurs("race", "anti_black", "nigger, nigga, niggers, coon, jigaboo, sambo, golliwog, wog, jungle bunny"),
    _pattern("race", "anti_black", r"\bn[i1!]gg+(?:a|er|ah|uh)s?\b", "slur targeting Black people (disguised spelling)",
             1.0, is_slur=True),
    _pattern("race", "anti_black", r"\b(?:you|dirty|black|fucking|bloody)\s+(?:monkey|ape|baboon)s?\b",
             "dehumanising comparison aimed at Black people", 0.9),
    *_slurs("race", "anti_asian", "paki, pakis, chink, chinky, gook, ching chong, curry muncher, slant eye"),
    _pattern("race", "anti_asian", r"\bp[a4@]k[i1!]+s?\b", "slur targeting Asian people (disguised spelling)",
             1.0, is_slur=True),
    *_slurs("race", "anti_gypsy_roma_traveller", "pikey, pikeys, gyppo, gypo, knacker, didicoy"),
    *_phrases("race", "anti_gypsy_roma_traveller", ["dirty gypsy", "dirty gypsies", "dirty traveller",
                                                      "dirty travellers", "thieving gypsies"]),
    *_slurs("race", "xenophobic", "polack, kraut, dago, wop, spic, immigrant scum", 0.9),
    *_phrases("race", "xenophobic", [
        "go back to your own country", "go back to your country", "go back to where you came from",
        "go back where you came from", "go home to your own country", "get out of our country",
        "you don't belong here", "you do not belong here", "send them all back", "bloody foreigners",
        "dirty foreigner", "dirty foreigners", "this is our country",
    ]),
    _pattern("race", "xenophobic", r"\bgo\s+back\s+to\s+(?:your|their|his|her|my)\s+(?:own\s+)?(?:country|countries)\b",
             "hostile phrase telling someone to go back to their own country", 0.8),
    _pattern("race", "", r"\bracis(?:t|tly|m)\s+" + _ABUSE + r"|\bracially\s+(?:abusive|aggravated|motivated)\b",
             "description of racist abuse", 0.6),
    _pattern("race", "xenophobic", r"\bxenophobic\s+" + _ABUSE, "description of xenophobic abuse", 0.6),
    # --- religion ---------------------------------------------------------------------------
    *_slurs("religion", "antisemitic", "kike, kikes, yid, yids, hymie, christ killer, christ killers"),
    *_phrases("religion", "antisemitic", ["dirty jew", "dirty jews", "gas the jews", "hitler was right",
                                          "should have been gassed", "jews control", "zionist pig"], 0.9),
    _pattern("religion", "antisemitic", r"\(\(\(\s*\w+\s*\)\)\)", "antisemitic 'echo' brackets around a name", 0.7),
    _pattern("religion", "antisemitic", r"\banti-?semitic\s+(?:" + _ABUSE + r"|conspiracy\w*)",
             "description of antisemitic abuse", 0.6),
    *_slurs("religion", "anti_muslim", "raghead, ragheads, towelhead, towelheads, muzzie, muzzies, muzrat, muzrats, "
            "sand nigger, camel jockey"),
    *_phrases("religion", "anti_muslim", ["you look like a letterbox", "go back to your mosque",
                                          "ban all muslims", "muslim terrorist", "bomb the mosque"], 0.8),
    _pattern("religion", "anti_muslim", r"\byou\s+(?:\w+\s+)?terrorists?\b", "calling someone a terrorist", 0.7),
    _pattern("religion", "anti_muslim", r"\b(?:islamophobic|anti-?muslim)\s+" + _ABUSE,
             "description of anti-Muslim abuse", 0.6),
    *_slurs("religion", "anti_christian", "bible basher, bible bashers, bible-basher, god botherer, god botherers", 0.7),
    *_phrases("religion", "anti_christian", ["kill the christians", "burn the church"], 0.9),
    *_slurs("religion", "anti_sikh", "towelhead, towelheads, diaper head, nappy head, turban terrorist", 0.9),
    _pattern("religion", "anti_sikh", r"\banti-?sikh\s+" + _ABUSE, "description of anti-Sikh abuse", 0.6),
    *_slurs("religion", "anti_hindu", "pajeet, pajeets, dothead, dot head, cow worshipper, cow worshippers", 0.9),
    _pattern("religion", "anti_hindu", r"\bcow\s*(?:piss|urine|dung)\s+(?:drinkers?|eaters?)\b",
             "hostile phrase targeting Hindu people", 0.8),
    _pattern("religion", "", r"\b(?:religiously\s+aggravated|sectarian\s+" + _ABUSE + r")",
             "description of religious hostility", 0.6),
    # --- sexual orientation -----------------------------------------------------------------
    *_slurs("sexual_orientation", "homophobic", "faggot, faggots, fag, fags, poof, poofs, poofter, poofters, dyke, "
            "dykes, lezza, lesbo, lesbos, batty boy, batty man, bum boy, shirt lifter, shirt lifters, nancy boy, homo, "
            "homos"),
    # "queer" is widely reclaimed and used neutrally ("queer film festival"): only hostile use is an indicator.
    _pattern("sexual_orientation", "homophobic", r"\b(?:fucking|dirty|filthy|bloody|you|stupid)\s+queers?\b",
             "slur targeting gay and lesbian people", 0.9, is_slur=True),
    _pattern("sexual_orientation", "homophobic", r"\bf+[a4@]+g+(?:[o0]+t+)?s?\b",
             "slur targeting gay and lesbian people (disguised spelling)", 1.0, is_slur=True),
    _pattern("sexual_orientation", "homophobic", r"\bhomophobic\s+" + _ABUSE, "description of homophobic abuse", 0.6),
    _pattern("sexual_orientation", "biphobic", r"\bbiphobic\s+" + _ABUSE, "description of biphobic abuse", 0.6),
    # --- transgender ------------------------------------------------------------------------
    *_slurs("transgender", "", "tranny, trannies, trannie, shemale, shemales, he-she, troon, troons, ladyboy"),
    *_phrases("transgender", "", ["man in a dress", "bloke in a dress", "you will never be a woman",
                                  "you will never be a man"], 0.7),
    _pattern("transgender", "", r"\btr[a4@]nn(?:y|ie|ies)\b", "slur targeting transgender people (disguised spelling)",
             1.0, is_slur=True),
    _pattern("transgender", "", r"\btransphobic\s+" + _ABUSE + r"|\bmisgender(?:ed|ing)\b",
             "description of transphobic abuse", 0.6),
    # --- disability -------------------------------------------------------------------------
    *_slurs("disability", "", "retard, retards, retarded, spastic, spastics, spaz, spazz, spacker, mong, mongs, "
            "mongoloid, cripple, cripples, crip, window licker, window lickers, schizo, loony, psycho, nutter, "
            "special needs freak", 0.9),
    _pattern("disability", "", r"\b(?:disablist|ableist)\s+" + _ABUSE + r"|\bmock(?:ed|ing)\s+(?:the\s+victim's|his|her|their)\s+"
             r"(?:wheelchair|disability|walking\s+stick|white\s+cane|hearing\s+aids?|speech|stammer)",
             "description of disablist abuse", 0.6),
    # --- sex / misogyny ---------------------------------------------------------------------
    *_slurs("sex_misogyny", "", "slut, sluts, slag, slags, skank, skanks, bitch, bitches, whore, whores", 0.6),
    *_phrases("sex_misogyny", "", ["get back in the kitchen", "make me a sandwich", "women belong in the kitchen",
                                   "know your place woman"], 0.7),
    _pattern("sex_misogyny", "", r"\b(?:misogynistic|misogynist|sexist)\s+" + _ABUSE,
             "description of misogynistic abuse", 0.6),
    # --- alternative subculture -------------------------------------------------------------
    *_slurs("alternative_subculture", "", "mosher, moshers, greebo, greebos, devil worshipper, devil worshippers", 0.7),
    _pattern("alternative_subculture", "", r"\b(?:goth|emo|punk|metal\w*|grunger?)s?\s+(?:freak|scum|weirdo|trash)s?\b",
             "hostile phrase targeting people in an alternative subculture", 0.8),
    _pattern("alternative_subculture", "", r"\b(?:gothic|goth)\s+(?:clothing|clothes|make-?up)\b",
             "description of abuse about alternative appearance", 0.4),
    # --- sex workers ------------------------------------------------------------------------
    *_slurs("sex_workers", "", "hooker, hookers, prozzie, prozzies, crack whore, crack whores, street whore", 0.8),
    *_phrases("sex_workers", "", ["dirty prostitute", "filthy prostitute", "dirty hooker"], 0.8),
    # --- age --------------------------------------------------------------------------------
    *_slurs("age", "", "coffin dodger, coffin dodgers, old git, old bag, wrinklies, bed blocker, bed blockers", 0.6),
    *_phrases("age", "", ["you should be dead by now", "waste of a pension"], 0.7),
    # --- any group: hostile phrases and dehumanising comparisons -----------------------------
    *_phrases("other", "", ["your kind", "you people", "your lot", "people like you", "you lot are all",
                            "should be wiped out", "should be exterminated", "deserve to die",
                            "should all be shot", "not welcome here"], 0.5),
    _pattern("other", "", r"\b(?:you(?:'re|\s+are)?|they(?:'re|\s+are)?|them|you\s+lot|your\s+lot|your\s+kind)\s+(?:\w+\s+){0,2}"
             r"(?:animals|vermin|rats|cockroaches|parasites|subhumans?|savages|a\s+disease|filth|scum)\b",
             "dehumanising comparison", 0.8),
    _pattern("other", "", r"\bhate\s+(?:crime|incident)\b", "described as a hate crime or incident", 0.4),
    # --- context: places ---------------------------------------------------------------------
    _context("religion", "", "location_type:place_of_worship", "happened at a place of worship"),
    _context("sexual_orientation", "", "location_type:lgbt_venue", "happened at an LGBT+ venue"),
    _context("transgender", "", "location_type:lgbt_venue", "happened at an LGBT+ venue", 0.2),
    _context("sexual_orientation", "", "location_type:public_sex_environment", "happened at a public sex environment", 0.2),
    _context("disability", "", "location_type:residential_care", "happened in residential care", 0.2),
    # --- context: online -----------------------------------------------------------------
    _context(ONLINE, "", "location_type:online", "happened online", 0.6),
    _context(ONLINE, "", "online_platform:social_media", "sent on social media", 0.6),
    _context(ONLINE, "", "online_platform:messaging_app", "sent on a messaging app", 0.6),
    _context(ONLINE, "", "online_platform:gaming", "sent in an online game", 0.6),
    _context(ONLINE, "", "online_platform:email", "sent by email", 0.6),
    _context(ONLINE, "", "online_platform:text_message", "sent by text message", 0.6),
    _context(ONLINE, "", "online_platform:dating_app", "sent on a dating app", 0.6),
    _context(ONLINE, "", "online_platform:website_forum", "posted on a website or forum", 0.6),
    _context(ONLINE, "", "online_platform:other", "happened online", 0.5),
)
