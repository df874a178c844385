"""Screening benchmarks: throughput (CSV and database, one core, peak memory) and quality.

Wiring (bench/suite.py, after the other sections)::

    from bench import screening
    section("screening", lambda: screening.run_throughput(results, backend=backend, n=cfg_n))
    section("screening-quality", lambda: screening.run_quality(results, backend=backend))

``n`` defaults to ``BENCH_SCREEN_N`` (1,000,000; 20,000 with ``BENCH_QUICK=1``). Standalone, with
no database (CSV throughput and quality only)::

    DJANGO_SETTINGS_MODULE=umbrella.settings.test python -m bench.screening [--quality-only|--functional-only]

Functional: the cases of umbrella/screening/functional.py (every behaviour on every strand, never
trained on), for the model trained on synthetic narratives, the TF-IDF + logistic regression
baseline trained on the same rows, and the keyword baseline, with the issue's targets.

Throughput: a model is trained on 3,000 synthetic narratives (umbrella/demo/narratives.py), then
``n`` narratives are scored with it and with the indicator engine (features and matches), on one
core (BLAS threads pinned to 1): from a generated CSV through ``umbrella screen`` in a child
process (streamed; peak memory is the child's own maximum RSS), and from the database, reading
the loaded records' encrypted narratives in pages of 1,000 by primary key, decrypting and scoring
them (cycling over the records when there are fewer than ``n``; peak memory as this process's
maximum RSS and its growth while scoring). The machine is shared, so the rate is narratives per
second of CPU time (one core); the wall-clock rate is in the detail.

Quality (needs ../shared/data; skipped with a message when absent), side by side with a plain
keyword baseline in the same run:

* ToxiGen seeds (MIT; Hartvigsen et al. 2022): 5-fold cross-validated strand detection (out-of-
  fold predictions), and accuracy on the neutral seeds (non-hateful mentions of identity groups):
  a neutral seed counts as right when neither 'hate' nor any strand is predicted.
* ETHOS (GPL-3.0; Mollas et al. 2022; evaluation only, never shipped): a model trained on all
  ToxiGen seeds, evaluated on the multi-label set (433 hateful comments; annotations >= 0.5).
  Column mapping: race -> race; national_origin -> race (xenophobic sub-category);
  religion -> religion; sexual_orientation -> sexual_orientation; disability -> disability;
  gender -> sex_misogyny (ETHOS does not separate transgender identity, so 'transgender' is
  not scored there). Also hate precision/recall on the binary set (998 comments).
* Held-out synthetic narratives: 80/20 split of 5,000 generated narratives, plus 400 neutral
  narratives that mention identity groups without hostility (written here).

ToxiGen target groups map to strands as ../shared/data/README.md says.
"""

from __future__ import annotations

import csv
import os
import random
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / ".." / "shared" / "data"

TOXIGEN_STRANDS = {
    "black": "race", "asian": "race", "chinese": "race", "latino": "race", "mexican": "race",
    "native_american": "race", "middle_east": "race", "immigrant": "race",
    "jewish": "religion", "muslim": "religion",
    "lgbtq": "sexual_orientation", "bisexual": "sexual_orientation",
    "trans": "transgender", "women": "sex_misogyny",
    "physical_disability": "disability", "mental_disability": "disability",
}
ETHOS_STRANDS = {
    "race": "race", "national_origin": "race", "religion": "religion",
    "sexual_orientation": "sexual_orientation", "disability": "disability", "gender": "sex_misogyny",
}
STRANDS = ("race", "religion", "sexual_orientation", "transgender", "disability", "sex_misogyny")
# The plain keyword baseline: identity and hostility words per strand (no slurs), word-boundary match.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "race": ("black", "blacks", "asian", "asians", "chinese", "mexican", "mexicans", "latino", "latinos", "arab",
             "arabs", "african", "immigrant", "immigrants", "migrant", "migrants", "refugee", "refugees", "foreigner",
             "foreigners", "racist", "racial", "racially", "race", "skin colour", "skin color", "native", "indian",
             "indians", "middle eastern", "go back to", "illegal", "illegals", "traveller", "travellers", "roma"),
    "religion": ("jew", "jews", "jewish", "muslim", "muslims", "islam", "islamic", "synagogue", "mosque",
                 "antisemitic", "christian", "sikh", "hindu", "religion", "religious", "headscarf", "turban"),
    "sexual_orientation": ("gay", "gays", "lesbian", "lesbians", "homosexual", "homosexuals", "bisexual",
                           "bisexuals", "homophobic", "lgbt", "lgbtq", "queer", "sexuality", "biphobic"),
    "transgender": ("trans", "transgender", "transgenders", "transphobic", "misgendering", "tranny"),
    "disability": ("disabled", "disability", "wheelchair", "autistic", "autism", "retarded", "retard", "blind",
                   "deaf", "mental illness", "mentally ill", "disablist", "down's syndrome", "learning disability"),
    "sex_misogyny": ("women", "woman", "girls", "female", "females", "feminist", "feminists", "misogynistic",
                     "bitch", "bitches"),
}
NEUTRAL_MENTIONS = (
    "The victim was leaving the mosque after Friday prayers when their phone was snatched by a {suspect}.",
    "Theft of a pedal cycle secured outside the synagogue. No witnesses.",
    "The victim, who is Black, reported that a {suspect} stole their wallet on the bus.",
    "Shoplifting reported at a halal butcher's; a {suspect} left without paying.",
    "A {suspect} broke the window of a car parked outside an LGBT+ bar. Nothing taken.",
    "The victim, a wheelchair user, had their parcel stolen from the doorstep.",
    "The victim, a transgender woman, reported her handbag stolen at the gym.",
    "Criminal damage to the door of the Polish community centre; the {suspect} was seen kicking it.",
    "A {suspect} took a bicycle from the rack outside the gurdwara.",
    "The victim, who is Jewish, reported a burglary while the family were away for the weekend.",
    "The victim's car was scratched in the car park of the women's refuge; no note was left.",
    "A Muslim shopkeeper reported counterfeit notes passed by a {suspect}.",
    "The victim, who is gay, lost his phone on the train and reports it stolen.",
    "An asylum seeker reported that a {suspect} took his phone at knifepoint.",
    "A deaf man reported his bank card was used without permission.",
)
MOTIVE_STRAND = {
    "anti_black": "race", "anti_asian": "race", "xenophobic": "race", "anti_gypsy_roma_traveller": "race",
    "antisemitic": "religion", "anti_muslim": "religion", "anti_sikh": "religion",
    "homophobic": "sexual_orientation", "biphobic": "sexual_orientation",
    "disability_physical": "disability", "disability_learning": "disability", "disability_mental_health": "disability",
    "transgender": "transgender", "sex_misogyny": "sex_misogyny",
}


def _quick() -> bool:
    return os.environ.get("BENCH_QUICK", "") not in ("", "0")


def screen_n() -> int:
    return int(os.environ.get("BENCH_SCREEN_N", "20000" if _quick() else "1000000"))


def _one_core() -> None:
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


def _note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Labelled:
    text: str
    labels: frozenset[str]


def synthetic(n: int, *, seed: int) -> list[Labelled]:
    """Labelled synthetic narratives: half hostile (one strand; some online), half ordinary crime."""
    from umbrella.demo import narratives

    rng = random.Random(seed)
    platforms = ("Instagram", "WhatsApp", "X (Twitter)", "TikTok", "Facebook")
    places = ("near the station", "outside a shop", "on the bus", "in the park", "at a takeaway")
    rows = []
    for _ in range(n):
        if rng.random() < 0.5:
            motive = rng.choice(list(MOTIVE_STRAND))
            online = rng.random() < 0.25
            scenario = "online" if online else rng.choice(("verbal", "assault_minor", "damage", "harassment", "threats"))
            text = narratives.narrative(rng, scenario=scenario, motive=motive, place=rng.choice(places),
                                        platform=rng.choice(platforms))
            rows.append(Labelled(text, frozenset({"hate", MOTIVE_STRAND[motive], *(["online"] if online else [])})))
        else:
            text = narratives.narrative(rng, scenario="other_crime", motive="other", place=rng.choice(places))
            rows.append(Labelled(text, frozenset()))
    return rows


def neutral_mentions(n: int, *, seed: int) -> list[str]:
    from umbrella.demo.narratives import SUSPECTS

    rng = random.Random(seed)
    return [rng.choice(NEUTRAL_MENTIONS).format(suspect=rng.choice(SUSPECTS)) for _ in range(n)]


def toxigen(data: Path) -> list[tuple[Labelled, bool]]:
    """(example, is_neutral) per seed; neutral seeds carry no labels."""
    rows = []
    with (data / "toxigen-seeds" / "seed_sentences.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            strand = TOXIGEN_STRANDS.get(row["target_group"])
            hateful = row["label"] == "hate"
            labels = frozenset({"hate", strand}) if hateful and strand else frozenset()
            rows.append((Labelled(row["text"], labels), not hateful))
    return rows


def ethos_multi(data: Path) -> list[Labelled]:
    rows = []
    with (data / "ethos" / "Ethos_Dataset_Multi_Label.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            strands = {strand for column, strand in ETHOS_STRANDS.items() if float(row[column] or 0) >= 0.5}
            rows.append(Labelled(row["comment"], frozenset({"hate", *strands})))
    return rows


def ethos_binary(data: Path) -> list[Labelled]:
    rows = []
    with (data / "ethos" / "Ethos_Dataset_Binary.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            rows.append(Labelled(row["comment"], frozenset({"hate"}) if float(row["isHate"] or 0) >= 0.5 else frozenset()))
    return rows


# --- predictors ------------------------------------------------------------------------------

Predictor = Callable[[Sequence[str]], list[frozenset[str]]]


def keyword_predictor(texts: Sequence[str]) -> list[frozenset[str]]:
    patterns = {s: re.compile(r"\b(?:" + "|".join(re.escape(k) for k in words) + r")\b", re.I) for s, words in KEYWORDS.items()}
    out = []
    for text in texts:
        strands = {s for s, pattern in patterns.items() if pattern.search(text)}
        out.append(frozenset({*strands, "hate"} if strands else set()))
    return out


def _feature_fn() -> Callable[[str], Mapping[str, float]] | None:
    try:
        from umbrella.indicators.matching import builtin_matcher

        return builtin_matcher().features  # type: ignore[no-any-return]
    except ImportError:
        return None


def model_predictor(train: Sequence[Labelled], *, seed: int = 1, contrastive: bool = True) -> Predictor:
    """The model as Umbrella trains it: on ``train`` plus the contrastive examples (unless told not to)."""
    from umbrella.screening.contrastive import contrastive_examples, how_many
    from umbrella.screening.model import Example, fit, labels_for

    features = _feature_fn()
    examples = [Example(row.text, row.labels) for row in train]
    if contrastive:
        examples += contrastive_examples(how_many(len(examples)), seed=seed)
    labels = labels_for(examples)
    model = fit([e.text for e in examples], [e.labels for e in examples], labels,
                features=[features(e.text) for e in examples] if features else None, seed=seed)

    strand_columns = [j for j, label in enumerate(model.labels) if label not in ("hate", "online")]

    def predict(texts: Sequence[str]) -> list[frozenset[str]]:
        p = model.predict_proba(texts, [features(t) for t in texts] if features else None)
        out = []
        for i in range(len(texts)):
            chosen = {label for j, label in enumerate(model.labels) if p[i, j] >= 0.5}
            # The decision rule: when hate is predicted and no strand passes 0.5, the likeliest strand.
            if "hate" in chosen and strand_columns and not chosen - {"hate", "online"}:
                chosen.add(model.labels[max(strand_columns, key=lambda j: p[i, j])])
            out.append(frozenset(chosen))
        return out

    return predict


# --- metrics ---------------------------------------------------------------------------------


def prf(truth: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]], label: str) -> dict[str, Any]:
    tp = sum(1 for t, p in zip(truth, predicted, strict=True) if label in t and label in p)
    fp = sum(1 for t, p in zip(truth, predicted, strict=True) if label not in t and label in p)
    fn = sum(1 for t, p in zip(truth, predicted, strict=True) if label in t and label not in p)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else (0.0 if tp + fn else None)
    return {"support": tp + fn, "precision": precision, "recall": recall, "f1": f1}


def scores(truth: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]], labels: Sequence[str]) -> dict[str, Any]:
    per = {label: prf(truth, predicted, label) for label in labels}
    f1s = [v["f1"] for k, v in per.items() if k != "hate" and v["support"] and v["f1"] is not None]
    return {"labels": per, "macro_f1_strands": sum(f1s) / len(f1s) if f1s else None}


def neutral_accuracy(predicted: Sequence[frozenset[str]]) -> float | None:
    return sum(1 for p in predicted if not p - {"online"}) / len(predicted) if predicted else None


def cross_validated(rows: list[tuple[Labelled, bool]], *, folds: int = 5, seed: int = 1) -> dict[str, list[frozenset[str]]]:
    """Out-of-fold predictions of the model and the keyword baseline, stratified by label set."""
    from sklearn.model_selection import StratifiedKFold

    texts = [r.text for r, _ in rows]
    strata = ["|".join(sorted(r.labels)) or "neutral" for r, _ in rows]
    model_out: list[frozenset[str]] = [frozenset()] * len(rows)
    for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, strata):
        predict = model_predictor([rows[i][0] for i in train_idx], seed=seed)
        for i, p in zip(test_idx, predict([texts[i] for i in test_idx]), strict=True):
            model_out[i] = p
    return {"model": model_out, "keywords": keyword_predictor(texts)}


# --- quality ---------------------------------------------------------------------------------


def quality(data: Path = DATA) -> dict[str, Any]:
    """Every quality figure, model and keyword baseline side by side."""
    started = time.perf_counter()
    report: dict[str, Any] = {}
    seeds = toxigen(data)
    truth = [r.labels for r, _ in seeds]
    neutral = [i for i, (_, is_neutral) in enumerate(seeds) if is_neutral]
    cv = cross_validated(seeds)
    report["toxigen_cv"] = {
        method: {**scores(truth, out, ("hate", *STRANDS)), "neutral_accuracy": neutral_accuracy([out[i] for i in neutral]),
                 "rows": len(seeds), "neutral_rows": len(neutral)}
        for method, out in cv.items()
    }
    full = model_predictor([r for r, _ in seeds])
    for name, rows in (("ethos_multilabel", ethos_multi(data)), ("ethos_binary", ethos_binary(data))):
        texts, truth = [r.text for r in rows], [r.labels for r in rows]
        labels = ("hate",) if name == "ethos_binary" else ("hate", *[s for s in STRANDS if s != "transgender"])
        report[name] = {}
        for method, predict in (("model", full), ("keywords", keyword_predictor)):
            out = predict(texts)
            entry = {**scores(truth, out, labels), "rows": len(rows)}
            if name == "ethos_binary":
                entry["non_hate_accuracy"] = neutral_accuracy([p for p, t in zip(out, truth, strict=True) if not t])
            report[name][method] = entry
    rows = synthetic(5000, seed=11)
    cut = int(len(rows) * 0.8)
    train, test = rows[:cut], rows[cut:]
    predict = model_predictor(train)
    mentions = neutral_mentions(400, seed=12)
    report["synthetic_heldout"] = {}
    for method, fn in (("model", predict), ("keywords", keyword_predictor)):
        out = fn([r.text for r in test])
        report["synthetic_heldout"][method] = {
            **scores([r.labels for r in test], out, ("hate", *STRANDS, "online") if method == "model" else ("hate", *STRANDS)),
            "neutral_accuracy": neutral_accuracy(fn(mentions)), "rows": len(test), "neutral_rows": len(mentions),
        }
    report["seconds"] = time.perf_counter() - started
    return report


def quality_table(report: Mapping[str, Any]) -> str:
    """Markdown: one row per (evaluation, strand), model and keyword baseline side by side."""

    def pct(value: Any) -> str:
        return "–" if value is None else f"{value * 100:.1f}"

    lines = ["| evaluation | label | n | model P | model R | model F1 | keywords P | keywords R | keywords F1 |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name in ("toxigen_cv", "ethos_multilabel", "ethos_binary", "synthetic_heldout"):
        if name not in report:
            continue
        model, keywords = report[name]["model"], report[name]["keywords"]
        for label, m in model["labels"].items():
            k = keywords["labels"].get(label, {})
            lines.append(f"| {name} | {label} | {m['support']} | {pct(m['precision'])} | {pct(m['recall'])} | "
                         f"{pct(m['f1'])} | {pct(k.get('precision'))} | {pct(k.get('recall'))} | {pct(k.get('f1'))} |")
        lines.append(f"| {name} | macro F1 (strands) | | | | {pct(model['macro_f1_strands'])} | | | "
                     f"{pct(keywords['macro_f1_strands'])} |")
        for key in ("neutral_accuracy", "non_hate_accuracy"):
            if key in model:
                lines.append(f"| {name} | {key.replace('_', ' ')} | | | | {pct(model[key])} | | | {pct(keywords[key])} |")
    return "\n".join(lines)


def run_quality(results: Any, *, backend: str = "-", data: Path = DATA) -> dict[str, Any] | None:
    from bench.report import Measurement

    if not data.is_dir():
        message = f"skipped: shared data not found at {data.resolve()}"
        _note(f"screening quality {message}")
        results.add(Measurement(backend, "screening quality (ToxiGen/ETHOS)", None, "F1", "", "n/a", message))
        return None
    report = quality(data)
    _note(quality_table(report))
    credit = "ToxiGen seeds (MIT, Hartvigsen et al. 2022); ETHOS (GPL-3.0, Mollas et al. 2022)"
    for name in ("toxigen_cv", "ethos_multilabel", "synthetic_heldout"):
        for method in ("model", "keywords"):
            entry = report[name][method]
            macro = entry["macro_f1_strands"]
            results.add(Measurement(backend, f"screening strand macro-F1, {name}, {method}",
                                    None if macro is None else macro * 100, "%", "", "",
                                    credit if name != "synthetic_heldout" else "synthetic narratives",
                                    extra={"report": entry}))
            if "neutral_accuracy" in entry:
                results.add(Measurement(backend, f"screening accuracy on neutral identity mentions, {name}, {method}",
                                        (entry["neutral_accuracy"] or 0) * 100, "%", "", "", ""))
    return report


# --- functional evaluation -------------------------------------------------------------------


def functional_report(*, train_rows: int = 3000, seed: int = 1) -> dict[str, Any]:
    """The model trained as Umbrella trains it (synthetic narratives, as the demo's records are, plus the
    contrastive examples), beside the TF-IDF baseline trained on the same rows and the keyword baseline,
    on the functional cases (umbrella/screening/functional.py); and the same model without the
    contrastive examples, to show what they do."""
    from umbrella.indicators.matching import builtin_matcher
    from umbrella.screening import functional
    from umbrella.screening.contrastive import contrastive_examples, how_many
    from umbrella.screening.model import fit, labels_for

    own = _as_examples(synthetic(train_rows, seed=seed))
    rows = own + contrastive_examples(how_many(len(own)), seed=seed)
    texts, label_sets = [r.text for r in rows], [r.labels for r in rows]
    matcher = builtin_matcher()
    model = fit(texts, label_sets, labels_for(rows), features=[matcher.features(t) for t in texts], seed=seed)
    report = functional.compare(model, texts=texts, label_sets=label_sets, feature_fn=matcher.features, seed=seed)
    alone = fit([r.text for r in own], [r.labels for r in own], labels_for(own),
                features=[matcher.features(r.text) for r in own], seed=seed)
    report["predictors"]["model_without_contrastive"] = functional.evaluate_predictor(
        functional.model_predictor(alone, feature_fn=matcher.features))
    return report


def _as_examples(rows: Sequence[Labelled]) -> list[Any]:
    from umbrella.screening.model import Example

    return [Example(r.text, r.labels) for r in rows]


def functional_table(report: Mapping[str, Any]) -> str:
    predictors = report["predictors"]
    names = list(predictors)

    def pct(value: Any) -> str:
        return "-" if value is None else f"{value * 100:.1f}%"

    lines = ["functional evaluation: " + " | ".join(["measure", *names, "target"])]
    for measure in ("hateful_recall", "non_hateful_accuracy", "all_non_hateful_accuracy", "strand_accuracy"):
        target = report["targets"].get(measure)
        lines.append(" | ".join([measure, *(pct(predictors[n]["summary"][measure]) for n in names),
                                 f">= {pct(target)}" if target else ""]))
    for behaviour, figures in predictors[names[0]]["behaviours"].items():
        lines.append(" | ".join([f"  {behaviour} ({'hateful' if figures['hateful'] else 'not hateful'}, "
                                 f"{figures['cases']})",
                                 *(pct(predictors[n]["behaviours"][behaviour]["rate"]) for n in names), ""]))
    return "\n".join(lines)


def run_functional(results: Any, *, backend: str = "-") -> dict[str, Any]:
    from bench.report import Measurement

    report = functional_report()
    _note(functional_table(report))
    for name, figures in report["predictors"].items():
        for measure, target in report["targets"].items():
            value = figures["summary"][measure]
            verdict = "" if name != "model" else ("met" if value is not None and value >= target else "missed")
            results.add(Measurement(backend, f"screening functional {measure.replace('_', ' ')}, {name}",
                                    None if value is None else value * 100, "%",
                                    f">= {target * 100:.0f}%" if name == "model" else "", verdict,
                                    f"{figures['summary']['cases']} cases written by the team; trained on 3,000 "
                                    "synthetic narratives" + ("" if name == "model_without_contrastive" else
                                                              " and 750 contrastive examples"), extra={"behaviours": figures["behaviours"],
                                                                   "strands": figures["strands"]}))
    return report


# --- throughput ------------------------------------------------------------------------------


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_model() -> Any:
    from umbrella.screening.model import Example, fit, labels_for

    rows = synthetic(3000, seed=5)
    examples = [Example(r.text, r.labels) for r in rows]
    features = _feature_fn()
    return fit([e.text for e in examples], [e.labels for e in examples], labels_for(examples),
               features=[features(e.text) for e in examples] if features else None)


def write_csv(path: Path, n: int, *, seed: int = 3) -> None:
    from umbrella.demo import narratives

    rng = random.Random(seed)
    places = ("near the station", "outside a shop", "on the bus", "in the park")
    motives = list(narratives.MOTIVE_PHRASES)
    scenarios = [s for s in narratives.SCENARIOS if s != "other_crime"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "narrative"])
        for i in range(n):
            if rng.random() < 0.7:
                text = narratives.narrative(rng, scenario="other_crime", motive="other", place=rng.choice(places))
            else:
                text = narratives.narrative(rng, scenario=rng.choice(scenarios), motive=rng.choice(motives),
                                            place=rng.choice(places), platform="Instagram")
            writer.writerow([i, text])


def score_csv_in_process(path: Path, model: Any, matcher: Any) -> tuple[int, float]:
    """What ``umbrella screen`` does, in this process (standalone mode, no database)."""
    from umbrella.screening.scoring import compact_matches, score_batch

    rows = 0
    started = time.process_time()
    with path.open(newline="", encoding="utf-8") as handle, open(os.devnull, "w", newline="") as out:
        reader = csv.DictReader(handle)
        writer = csv.writer(out)
        batch: list[str] = []

        def flush() -> int:
            for screening in score_batch(batch, model=model, matcher=matcher):
                writer.writerow([f"{p:.4f}" for p in screening.probabilities.values()] + [compact_matches(screening.matches)])
            return len(batch)

        for row in reader:
            batch.append(row["narrative"])
            if len(batch) >= 1000:
                rows += flush()
                batch = []
        if batch:
            rows += flush()
    return rows, time.process_time() - started


def _db_narratives(n: int) -> Iterator[str]:
    from umbrella.cases.models import NARRATIVE_COLUMN, Record
    from umbrella.crypto.fields import decrypt

    produced, last = 0, 0
    while produced < n:
        page = list(Record.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "narrative")[:1000])
        if not page:
            if last == 0:
                return
            last = 0
            continue
        for _pk, ciphertext in page:
            yield decrypt(ciphertext, column=NARRATIVE_COLUMN)
            produced += 1
            if produced >= n:
                return
        last = page[-1][0]


def run_throughput(results: Any, *, backend: str, n: int | None = None, database: bool = True) -> None:
    """Narratives per second on one core, and peak memory, from CSV (child process) and the database."""
    from bench.imports import run_child
    from bench.report import Measurement

    _one_core()
    n = n or screen_n()
    model = bench_model()
    target = "≥ 2,000 narratives/s"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "narratives.csv"
        write_csv(source, n)
        if database:
            from umbrella.screening.models import ScreeningModel
            from umbrella.screening.services import model_register

            ScreeningModel.objects.filter(notes="bench").delete()
            model_register(actor=None, model=model, training_summary={"rows": 3000}, evaluation={}, notes="bench",
                           approve=True)
            env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
            command = [sys.executable, "-m", "umbrella.cli", "screen", str(source), "--text-column", "narrative",
                       "--out", str(Path(tmp) / "out.csv")]
            status, wall, peak_kib, tail = run_child(command, env, timeout_s=3600)
            match = re.search(r"\((\d+) rows/s; (\d+) rows/s of CPU time\)", tail)
            wall_rate, rate = (float(match.group(1)), float(match.group(2))) if match else (None, None)
            results.add(Measurement(backend, "screening from CSV (umbrella screen, 1 core, CPU time)", rate,
                                    "narratives/s", target,
                                    "n/a" if rate is None else ("met" if rate >= 2000 else "missed"),
                                    f"{n:,} narratives; {wall_rate or 0:,.0f}/s by the wall clock; peak RSS "
                                    f"{peak_kib / 1024:.0f} MiB (child, incl. Django); wall {wall:.0f} s"
                                    + ("" if status == 0 else f"; exit {status}: {tail[-300:]}")))
        else:
            from umbrella.indicators.matching import builtin_matcher

            before = _maxrss_mib()
            wall_started = time.perf_counter()
            rows, seconds = score_csv_in_process(source, model, builtin_matcher())
            wall = time.perf_counter() - wall_started
            rate = rows / seconds
            results.add(Measurement(backend, "screening from CSV (in process, 1 core, CPU time)", rate, "narratives/s",
                                    target, "met" if rate >= 2000 else "missed",
                                    f"{rows:,} narratives in {seconds:.0f} s of CPU ({rows / wall:,.0f}/s by the wall "
                                    f"clock); peak RSS {_maxrss_mib():.0f} MiB "
                                    f"(grew {_maxrss_mib() - before:.0f} MiB while scoring)"))
    if not database:
        return
    from umbrella.screening.scoring import indicator_matcher, score_stream

    matcher = indicator_matcher()
    before = _maxrss_mib()
    started, cpu_started = time.perf_counter(), time.process_time()
    rows = sum(1 for _ in score_stream(_db_narratives(n), model=model, matcher=matcher))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rate = rows / cpu if rows else None
    results.add(Measurement(backend, "screening from the database (1 core, CPU time)", rate, "narratives/s", target,
                            "n/a" if rate is None else ("met" if rate >= 2000 else "missed"),
                            f"{rows / max(seconds, 1e-9):,.0f}/s by the wall clock (the database's own time is not in "
                            f"the CPU figure); {rows:,} narratives read in pages of 1,000, decrypted and scored (cycling over the loaded "
                            f"records); peak RSS {_maxrss_mib():.0f} MiB, grew {_maxrss_mib() - before:.0f} MiB"))


def main(argv: list[str] | None = None) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "umbrella.settings.test")
    django.setup()
    from bench.report import Results

    args = list(sys.argv[1:] if argv is None else argv)
    results = Results(path=None)
    if "--quality-only" not in args and "--functional-only" not in args:
        run_throughput(results, backend="standalone", n=screen_n(), database=False)
    if "--throughput-only" not in args:
        run_functional(results, backend="standalone")
    if "--throughput-only" not in args and "--functional-only" not in args:
        run_quality(results, backend="standalone")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
