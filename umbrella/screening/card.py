"""What a model card shows, in the fields of the UK Algorithmic Transparency Recording Standard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from umbrella.screening.models import ScreeningModel

PURPOSE = (
    "Points the hate crime hub at records that may be hate crime but carry no hate flag (records of kind "
    "'other crime' from the all-crime feed), suggests likely strands, and suggests the online "
    "(cyber-enabled) flag where it seems to be missing. It only makes suggestions: each one goes to a "
    "hub reviewer's queue with its explanation, and a person decides."
)
HOW_IT_WORKS = (
    "A linear model per label (any hate, each strand, online) over word pairs and fragments of words in "
    "the narrative, plus the scores of the administrator-maintained bias indicators. Probabilities are "
    "calibrated (Platt scaling on cross-validated scores). Each suggestion lists the words that "
    "contributed most and the indicator phrases that matched. Training adds contrastive examples written "
    "by the team (ordinary crime that names an identity or a place of worship, and hostility said in the "
    "words people use), so naming who someone is does not on its own read as hate; and it leaves out the "
    "other crimes nobody reviewed that a model trained without them reads as hate, since they may be the "
    "unflagged hate it is looking for. Nothing about a person (their ethnicity, religion) or a date is a "
    "feature."
)
HUMAN_OVERSIGHT = (
    "No model screens live data until a system administrator or hub supervisor approves it on this page, "
    "after reading its evaluation. Approving a model retires the previous one; 'Roll back' re-approves "
    "the previous model in one action. Every suggestion is reviewed by a hub reviewer, who confirms, "
    "changes or rejects it; the decision, not the model, changes the record. Reviewer decisions become "
    "training data for the next model, which again needs approval. Every registry action is audited."
)
LIMITATIONS = (
    "Trained on this service's own records and reviewer decisions, so it learns how officers here write "
    "narratives and inherits their recording habits, including missed flags. Narratives describe "
    "hostility rather than quote it, so slurs and coded language it has not seen score low; the functional "
    "evaluation below shows where it is weak (hateful graffiti at a place of worship, reclaimed in-group "
    "words). Strands with "
    "few examples are uncalibrated or absent (see 'calibrated' below). Figures are from one held-out "
    "split with a fixed seed and are only as good as the labels."
)
RISKS = (
    "False positives put extra records in front of reviewers and could, if trusted blindly, mislabel a "
    "victim's experience; false negatives leave hate crime unflagged. Error rates can differ between "
    "groups: the false positive rate by victim ethnicity group is shown below where the data has it. "
    "Neutral mentions of an identity group (e.g. 'leaving a place of worship') can raise scores: the "
    "functional evaluation measures how often. "
    "Mitigations: human review of every suggestion, thresholds set conservatively, approval before use, "
    "rollback, and this card."
)


@dataclass(frozen=True)
class LabelRow:
    label: str
    support: Any
    precision: Any
    recall: Any
    f1: Any
    ece: Any
    false_positive_rate: Any
    calibrated: bool


def _pct(value: Any) -> str:
    return "–" if value is None else f"{float(value) * 100:.1f}%"


def performance_rows(model: ScreeningModel) -> list[LabelRow]:
    labels = model.evaluation.get("labels", {})
    return [
        LabelRow(
            label=label, support=figures.get("support"), precision=_pct(figures.get("precision")),
            recall=_pct(figures.get("recall")), f1=_pct(figures.get("f1")),
            ece=f"{figures['ece']:.3f}" if figures.get("ece") is not None else "–",
            false_positive_rate=_pct(figures.get("false_positive_rate")), calibrated=bool(figures.get("calibrated")),
        )
        for label, figures in labels.items()
    ]


def group_rows(model: ScreeningModel) -> list[dict[str, Any]]:
    groups = model.evaluation.get("false_positive_rate_by_ethnicity_group", {})
    return [
        {"group": group, "rows": figures.get("rows"), "negatives": figures.get("negatives"),
         "false_positive_rate": _pct(figures.get("false_positive_rate"))}
        for group, figures in groups.items()
    ]


BEHAVIOUR_NAMES = {
    "slur": "Slur", "slur_variant": "Slur, another spelling", "threat": "Threat", "dehumanisation": "Dehumanisation",
    "reported_hostility": "Hostility the victim reports", "graffiti": "Hateful graffiti",
    "go_back": "'Go back to your own country'", "identity_neutral": "Identity mentioned, nothing hostile",
    "identity_positive": "Identity mentioned warmly", "place_as_location": "Place of worship or venue as a location",
    "negated_hostility": "Hostility denied", "non_protected_target": "Abuse for a reason not protected",
    "abuse_of_objects": "Abuse of things", "profanity_no_target": "Swearing with no target",
    "reclaimed_term": "Reclaimed in-group word",
}
SUMMARY_NAMES = {
    "hateful_recall": "Hateful cases found", "non_hateful_accuracy": "Identity, place, negation, non-protected: cleared",
    "all_non_hateful_accuracy": "Every non-hateful case cleared", "strand_accuracy": "Strand right on hateful cases",
}
PREDICTORS = ("model", "tfidf_logistic", "keywords")


@dataclass(frozen=True)
class FunctionalRow:
    name: str
    hateful: bool | None
    cases: int | None
    rates: tuple[str, ...]  # model, TF-IDF baseline, keyword baseline
    target: str = ""


def functional_rows(
    model: ScreeningModel, *, approved: ScreeningModel | None = None
) -> tuple[list[FunctionalRow], list[FunctionalRow]]:
    """(summary rows with their targets, one row per behaviour): the model beside both baselines and,
    for a candidate, the approved model it would replace."""
    functional = model.evaluation.get("functional")
    if not functional:
        return [], []
    predictors = [functional["predictors"].get(name, {}) for name in PREDICTORS]
    if approved is not None:
        predictors.append((approved.evaluation.get("functional") or {}).get("predictors", {}).get("model", {}))
    targets = functional.get("targets", {})
    summary = [
        FunctionalRow(label, None, None, tuple(_pct(p.get("summary", {}).get(name)) for p in predictors),
                      target=f"at least {_pct(targets[name])}" if name in targets else "")
        for name, label in SUMMARY_NAMES.items()
    ]
    behaviours = predictors[0].get("behaviours", {})
    rows = [
        FunctionalRow(BEHAVIOUR_NAMES.get(name, name), figures["hateful"], figures["cases"],
                      tuple(_pct(p.get("behaviours", {}).get(name, {}).get("rate")) for p in predictors))
        for name, figures in behaviours.items()
    ]
    return summary, rows


def live_strand_rates() -> list[Any]:
    from umbrella.screening.monitoring import strand_rates

    return strand_rates()


def live_group_rates(group: str) -> list[Any]:
    from umbrella.screening.monitoring import group_rates

    return group_rates(group)


def card_context(model: ScreeningModel, *, approved: ScreeningModel | None = None) -> dict[str, Any]:
    summary = model.training_summary
    return {
        "purpose": PURPOSE,
        "how_it_works": HOW_IT_WORKS,
        "human_oversight": HUMAN_OVERSIGHT,
        "limitations": LIMITATIONS,
        "risks": RISKS,
        "owner_contact": getattr(settings, "SCREENING_MODEL_OWNER", "The system administrators of this Umbrella service"),
        "sources": summary.get("sources", []),
        "label_counts": sorted(summary.get("label_counts", {}).items()),
        "performance": performance_rows(model),
        "groups": group_rows(model),
        "split": model.evaluation.get("split", {}),
        "threshold": model.evaluation.get("threshold"),
        "functional": functional_rows(model, approved=approved),
        # Live: reviewers' decisions on what screening suggested, by strand and by the victim's
        # ethnicity (every group on the monitoring page).
        "live_tables": [("By strand", "Strand", live_strand_rates()),
                        ("By the victim's ethnicity", "Ethnicity group", live_group_rates("ethnicity"))],
    }
