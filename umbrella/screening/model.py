"""The screening classifier: multi-label (any hate, each strand, online), linear, calibrated, explainable.

Text becomes hashed word n-grams (1–2) and character n-grams (3–5, within word boundaries) — no
vocabulary to keep, fixed memory — weighted by sublinear tf–idf and L2-normalised, plus the
indicator engine's per-strand scores as extra columns. Each label gets a logistic (log-loss) linear model fitted by averaged SGD,
calibrated with Platt (sigmoid) scaling on cross-validated decision values
(``CalibratedClassifierCV(method="sigmoid", ensemble=False)``) where both classes have enough
examples. Training keeps only what scoring needs: one sparse weight matrix, intercepts and the
sigmoid parameters, so scoring a batch is a sparse product and an element-wise sigmoid.

Explanations re-tokenise one text, hash each n-gram to its column and multiply the text's value
there by the label's weight: the top contributing words and word pairs (character n-grams are
added up into the word they came from).

The artefact is joblib bytes with a sha256; ``TrainedModel.from_bytes`` refuses bytes whose digest
is not the one the registry recorded.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, HashingVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.preprocessing import normalize

FORMAT = "umbrella-screening/1"
HATE = "hate"
ONLINE = "online"
# Strands the registry expects to see; a model carries whichever of them its data had.
STRAND_LABELS: tuple[str, ...] = (
    "race",
    "religion",
    "sexual_orientation",
    "disability",
    "transgender",
    "sex_misogyny",
    "alternative_subculture",
    "sex_workers",
    "age",
    "other",
)
WORD_FEATURES = 2**18
CHAR_FEATURES = 2**18
# Below this many examples of the rarer class a label is not calibrated (plain logistic output).
MIN_FOR_CALIBRATION = 3
INDICATOR_CAP = 3.0
DEFAULT_SEED = 20260523

FeatureFn = Callable[[str], Mapping[str, float]]


class ArtefactIntegrityError(Exception):
    """The stored model bytes do not match their recorded sha256 (or are not a screening model)."""


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _word_vectoriser(n_features: int) -> HashingVectorizer:
    return HashingVectorizer(
        analyzer="word", ngram_range=(1, 2), n_features=n_features, alternate_sign=False, norm=None,
        dtype=np.float32,
    )


def _char_vectoriser(n_features: int) -> HashingVectorizer:
    return HashingVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), n_features=n_features, alternate_sign=False, norm=None,
        dtype=np.float32,
    )


@dataclass(frozen=True)
class Example:
    """One labelled text. ``labels`` holds the positive labels; ``group`` is the victim's ethnicity group.

    ``unconfirmed`` marks a 'not hate' that nobody confirmed (an other crime no reviewer decided on):
    it may be the unflagged hate screening is looking for, so training checks it first."""

    text: str
    labels: frozenset[str]
    group: str = ""
    unconfirmed: bool = False


@dataclass
class TrainedModel:
    labels: list[str]
    indicator_keys: list[str]
    idf: np.ndarray
    weights: sp.csc_matrix
    intercepts: np.ndarray
    cal_a: np.ndarray
    cal_b: np.ndarray
    calibrated: list[bool]
    word_features: int = WORD_FEATURES
    char_features: int = CHAR_FEATURES
    _word: HashingVectorizer | None = field(default=None, repr=False)
    _char: HashingVectorizer | None = field(default=None, repr=False)

    # --- serialisation ------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        joblib.dump(
            {
                "format": FORMAT,
                "labels": self.labels,
                "indicator_keys": self.indicator_keys,
                "idf": self.idf,
                "weights": self.weights,
                "intercepts": self.intercepts,
                "cal_a": self.cal_a,
                "cal_b": self.cal_b,
                "calibrated": self.calibrated,
                "word_features": self.word_features,
                "char_features": self.char_features,
            },
            buffer,
            compress=3,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, *, sha256: str) -> TrainedModel:
        if sha256_of(data) != sha256:
            raise ArtefactIntegrityError("The model artefact does not match its recorded sha256; refusing to load it.")
        state = joblib.load(io.BytesIO(data))
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            raise ArtefactIntegrityError("The artefact is not an Umbrella screening model.")
        state.pop("format")
        return cls(**state)

    # --- features -------------------------------------------------------------------------------

    @property
    def word(self) -> HashingVectorizer:
        if self._word is None:
            self._word = _word_vectoriser(self.word_features)
        return self._word

    @property
    def char(self) -> HashingVectorizer:
        if self._char is None:
            self._char = _char_vectoriser(self.char_features)
        return self._char

    def transform(self, texts: Sequence[str], features: Sequence[Mapping[str, float]] | None = None) -> sp.csr_matrix:
        return _transform(
            texts, features, word=self.word, char=self.char, idf=self.idf, indicator_keys=self.indicator_keys
        )

    # --- scoring --------------------------------------------------------------------------------

    def decision(self, matrix: sp.csr_matrix) -> np.ndarray:
        product: np.ndarray = np.asarray((matrix @ self.weights).toarray(), dtype=np.float64)
        product += self.intercepts
        return product

    def predict_proba(
        self, texts: Sequence[str], features: Sequence[Mapping[str, float]] | None = None
    ) -> np.ndarray:
        """Calibrated probabilities, one row per text, one column per label (``self.labels``)."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        decision = self.decision(self.transform(texts, features))
        return np.asarray(expit(-(self.cal_a * decision + self.cal_b)))

    def explain(
        self, text: str, features: Mapping[str, float] | None = None, *, label: str = HATE, k: int = 8
    ) -> list[dict[str, Any]]:
        """The words and word pairs that pushed ``label`` up most for this text, strongest first."""
        if label not in self.labels:
            return []
        column = self.labels.index(label)
        row = self.transform([text], [features or {}])
        values = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        weights = np.asarray(self.weights[:, column].toarray()).ravel()
        contributions: dict[str, float] = {}

        word_terms = self.word.build_analyzer()(text)
        for term, index in zip(word_terms, _hash_indices(word_terms, self.word_features), strict=True):
            if index in values and term not in contributions:
                contributions[term] = values[index] * float(weights[index])
        char_analyser = self.char.build_analyzer()
        for word in set(re.findall(r"\w[\w'-]*", text.lower())):
            grams = char_analyser(word)
            if not grams:
                continue
            indices = [self.word_features + i for i in _hash_indices(grams, self.char_features)]
            extra = sum(values.get(i, 0.0) * float(weights[i]) for i in set(indices))
            contributions[word] = contributions.get(word, 0.0) + extra
        top = sorted(
            ((w, t) for t, w in contributions.items() if w > 0 and not _all_stop_words(t)), reverse=True
        )[:k]
        return [{"term": term, "weight": round(weight, 4)} for weight, term in top]


def _all_stop_words(term: str) -> bool:
    return all(part in ENGLISH_STOP_WORDS or part == "victim" for part in term.split())


def _hash_indices(terms: Sequence[str], n_features: int) -> list[int]:
    if not terms:
        return []
    hasher = FeatureHasher(n_features=n_features, input_type="string", alternate_sign=False)
    hashed = hasher.transform([[term] for term in terms]).tocsr()
    return [int(hashed.indices[hashed.indptr[i]]) if hashed.indptr[i + 1] > hashed.indptr[i] else -1 for i in range(len(terms))]


def _raw_text_matrix(texts: Sequence[str], *, word: HashingVectorizer, char: HashingVectorizer) -> sp.csr_matrix:
    matrix = sp.hstack([word.transform(texts), char.transform(texts)], format="csr", dtype=np.float32)
    np.log1p(matrix.data, out=matrix.data)  # sublinear tf
    return matrix


def _indicator_matrix(features: Sequence[Mapping[str, float]] | None, keys: list[str], n: int) -> sp.csr_matrix:
    if not keys:
        return sp.csr_matrix((n, 0), dtype=np.float32)
    dense = np.zeros((n, len(keys)), dtype=np.float32)
    if features is not None:
        position = {key: i for i, key in enumerate(keys)}
        for row, values in enumerate(features):
            for key, value in values.items():
                column = position.get(key)
                if column is not None:
                    dense[row, column] = min(float(value), INDICATOR_CAP) / INDICATOR_CAP
    return sp.csr_matrix(dense)


def _transform(
    texts: Sequence[str],
    features: Sequence[Mapping[str, float]] | None,
    *,
    word: HashingVectorizer,
    char: HashingVectorizer,
    idf: np.ndarray,
    indicator_keys: list[str],
) -> sp.csr_matrix:
    return _weighted(_raw_text_matrix(texts, word=word, char=char), features, idf=idf, indicator_keys=indicator_keys)


def _weighted(
    raw: sp.csr_matrix, features: Sequence[Mapping[str, float]] | None, *, idf: np.ndarray, indicator_keys: list[str]
) -> sp.csr_matrix:
    """The model's input from the raw counts (changed in place): idf-weighted, unit length, then the
    indicator columns."""
    raw.data *= idf[raw.indices]
    matrix = normalize(raw, norm="l2", copy=False)
    return sp.hstack([matrix, _indicator_matrix(features, indicator_keys, raw.shape[0])], format="csr")


# --- training ---------------------------------------------------------------------------------


@dataclass
class TrainingResult:
    model: TrainedModel
    evaluation: dict[str, Any]
    train_rows: int
    test_rows: int


def _fit_label(matrix: sp.csr_matrix, y: np.ndarray, *, seed: int, alpha: float) -> tuple[np.ndarray, float, float, float, bool]:
    """(coefficients, intercept, sigmoid a, sigmoid b, calibrated) for one label."""
    positives = int(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        prior = (positives + 0.5) / (len(y) + 1.0)
        return np.zeros(matrix.shape[1]), math.log(prior / (1 - prior)), -1.0, 0.0, False
    base = SGDClassifier(
        loss="log_loss", alpha=alpha, class_weight="balanced", max_iter=20, tol=None, average=True, random_state=seed
    )
    folds = min(3, positives, negatives)
    if folds >= MIN_FOR_CALIBRATION:
        calibrated = CalibratedClassifierCV(
            base, method="sigmoid", cv=StratifiedKFold(folds, shuffle=True, random_state=seed), ensemble=False
        ).fit(matrix, y)
        inner = calibrated.calibrated_classifiers_[0]
        estimator = inner.estimator
        sigmoid = inner.calibrators[0]
        return (np.asarray(estimator.coef_).ravel(), float(estimator.intercept_[0]),
                float(sigmoid.a_), float(sigmoid.b_), True)
    base.fit(matrix, y)
    return np.asarray(base.coef_).ravel(), float(base.intercept_[0]), -1.0, 0.0, False


def _used_columns(matrix: sp.csr_matrix) -> tuple[np.ndarray, sp.csr_matrix]:
    """The columns any row uses, and the matrix with only those.

    Of the 524,288 hashed columns a few thousand texts use a fraction; the rest hold zeros in every
    row, so their weights start at zero and stay there (the L2 penalty only shrinks a weight). The
    stochastic gradient descent still walks the whole weight vector on every pass, so fitting on
    the used columns alone, then putting each weight back in its column, gives the same model in a
    fraction of the time (the weights agree to float rounding)."""
    used = np.unique(matrix.indices)
    return used, matrix[:, used]


def _spread(compact: np.ndarray, used: np.ndarray, width: int) -> np.ndarray:
    full = np.zeros(width, dtype=np.float64)
    full[used] = compact
    return full


def fit(
    texts: Sequence[str],
    label_sets: Sequence[frozenset[str]],
    labels: Sequence[str],
    *,
    features: Sequence[Mapping[str, float]] | None = None,
    seed: int = DEFAULT_SEED,
    alpha: float = 2e-5,
) -> TrainedModel:
    """Fits one calibrated linear model per label on every text given."""
    word, char = _word_vectoriser(WORD_FEATURES), _char_vectoriser(CHAR_FEATURES)
    raw = _raw_text_matrix(texts, word=word, char=char)
    document_frequency = np.bincount(raw.indices, minlength=raw.shape[1])
    n = raw.shape[0]
    idf = (np.log((1.0 + n) / (1.0 + document_frequency)) + 1.0).astype(np.float32)
    indicator_keys = sorted({key for row in features or [] for key in row})
    # The counts are hashed once: weighting them is all the model's input needs beyond them.
    matrix = _weighted(raw, features, idf=idf, indicator_keys=indicator_keys)
    used, compact = _used_columns(matrix)
    columns, intercepts, cal_a, cal_b, calibrated = [], [], [], [], []
    for label in labels:
        y = np.array([label in row for row in label_sets], dtype=np.int8)
        compact_coef, intercept, a, b, was_calibrated = _fit_label(compact, y, seed=seed, alpha=alpha)
        coef = _spread(compact_coef, used, matrix.shape[1])
        coef[np.abs(coef) < 1e-7] = 0.0
        columns.append(sp.csc_matrix(coef.astype(np.float32).reshape(-1, 1)))
        intercepts.append(intercept)
        cal_a.append(a)
        cal_b.append(b)
        calibrated.append(was_calibrated)
    weights = sp.hstack(columns, format="csc") if columns else sp.csc_matrix((matrix.shape[1], 0), dtype=np.float32)
    return TrainedModel(
        labels=list(labels), indicator_keys=indicator_keys, idf=idf, weights=weights,
        intercepts=np.array(intercepts), cal_a=np.array(cal_a), cal_b=np.array(cal_b), calibrated=calibrated,
    )


def cross_fitted_scores(
    texts: Sequence[str], positive: Sequence[bool], *, folds: Sequence[Sequence[int]], seed: int = DEFAULT_SEED,
) -> dict[int, float]:
    """For each row in ``folds``, the probability of ``positive`` from a model that never saw that
    row: each fold is scored by a model fitted on every other row (rows in no fold are in every fit).
    Word n-grams only and uncalibrated: a quick, honest second opinion (a noisy-label filter's),
    with the text turned into numbers once for all the fits."""
    matrix = _word_vectoriser(WORD_FEATURES).transform(texts)
    document_frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    idf = (np.log((1.0 + matrix.shape[0]) / (1.0 + document_frequency)) + 1.0).astype(np.float32)
    matrix.data = np.log1p(matrix.data)
    matrix = normalize(matrix @ sp.diags(idf), copy=False)
    _, matrix = _used_columns(matrix)  # scores only: the weights are never read back
    y = np.asarray(positive, dtype=np.int8)
    scores: dict[int, float] = {}
    for fold in folds:
        held = set(fold)
        rows = np.array([i for i in range(len(texts)) if i not in held], dtype=np.int64)
        if y[rows].min() == y[rows].max():
            continue  # one class only: nothing to learn, nothing to say
        model = SGDClassifier(loss="log_loss", alpha=2e-5, class_weight="balanced", max_iter=20, tol=None,
                              average=True, random_state=seed).fit(matrix[rows], y[rows])
        held_rows = sorted(held)
        for i, p in zip(held_rows, model.predict_proba(matrix[held_rows])[:, 1], strict=True):
            scores[i] = float(p)
    return scores


def expected_calibration_error(y: np.ndarray, p: np.ndarray, *, bins: int = 10) -> float:
    if len(y) == 0:
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.sum() / len(y) * abs(float(p[mask].mean()) - float(y[mask].mean()))
    return round(total, 4)


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def evaluate(
    model: TrainedModel,
    texts: Sequence[str],
    label_sets: Sequence[frozenset[str]],
    *,
    groups: Sequence[str] | None = None,
    features: Sequence[Mapping[str, float]] | None = None,
    threshold: float = 0.5,
) -> dict[str, Any]:
    """Per-label precision, recall, F1, calibration error and false positive rate; hate FPR by group."""
    probabilities = model.predict_proba(texts, features)
    per_label: dict[str, dict[str, Any]] = {}
    for column, label in enumerate(model.labels):
        y = np.array([label in row for row in label_sets], dtype=bool)
        p = probabilities[:, column] if len(texts) else np.zeros(0)
        predicted = p >= threshold
        tp = int((predicted & y).sum())
        fp = int((predicted & ~y).sum())
        fn = int((~predicted & y).sum())
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        f1 = round(2 * precision * recall / (precision + recall), 4) if precision and recall else (
            0.0 if precision is not None and recall is not None else None
        )
        per_label[label] = {
            "support": int(y.sum()),
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "ece": expected_calibration_error(y.astype(float), p),
            "false_positive_rate": _ratio(fp, int((~y).sum())),
            "calibrated": model.calibrated[column],
        }
    by_group: dict[str, dict[str, Any]] = {}
    if groups is not None and HATE in model.labels and any(groups):
        column = model.labels.index(HATE)
        for group in sorted({g for g in groups if g}):
            mask = np.array([g == group for g in groups])
            negatives = mask & np.array([HATE not in row for row in label_sets])
            false_positives = int((negatives & (probabilities[:, column] >= threshold)).sum())
            by_group[group] = {
                "rows": int(mask.sum()),
                "negatives": int(negatives.sum()),
                "false_positive_rate": _ratio(false_positives, int(negatives.sum())),
            }
    return {
        "threshold": threshold,
        "rows": len(texts),
        "labels": per_label,
        "false_positive_rate_by_ethnicity_group": by_group,
    }


def train_and_evaluate(
    examples: Sequence[Example],
    *,
    labels: Sequence[str] | None = None,
    feature_fn: FeatureFn | None = None,
    seed: int = DEFAULT_SEED,
    test_size: float = 0.2,
    extra_training: Sequence[Example] = (),
) -> TrainingResult:
    """Splits off a held-out set (stratified on 'hate' where possible), fits on the rest, evaluates.

    ``extra_training`` rows (the contrastive examples) join the training rows only, so the held-out
    figures are on the data's own rows. The model returned is the one evaluated, so the registry's
    figures describe exactly its artefact.
    """
    if len(examples) < 4:
        raise ValueError("At least 4 labelled rows are needed to train and evaluate a model.")
    chosen = list(labels) if labels is not None else labels_for(examples)
    features = [dict(feature_fn(e.text)) for e in examples] if feature_fn is not None else None
    indices = np.arange(len(examples))
    first = chosen[0] if chosen else HATE
    strata = np.array([first in e.labels for e in examples])
    counts = np.bincount(strata.astype(int), minlength=2)
    test_count = max(1, round(len(examples) * test_size))
    stratify = strata if counts.min() >= 2 and test_count >= 2 else None
    train_idx, test_idx = train_test_split(indices, test_size=test_count, random_state=seed, stratify=stratify)

    def pick(idx: Iterable[int]) -> tuple[list[str], list[frozenset[str]], list[dict[str, float]] | None, list[str]]:
        items = [examples[i] for i in idx]
        rows = [features[i] for i in idx] if features is not None else None
        return [e.text for e in items], [e.labels for e in items], rows, [e.group for e in items]

    train_texts, train_labels, train_features, _ = pick(train_idx)
    if extra_training:
        train_texts += [e.text for e in extra_training]
        train_labels += [e.labels for e in extra_training]
        if train_features is not None and feature_fn is not None:
            train_features += [dict(feature_fn(e.text)) for e in extra_training]
    test_texts, test_labels, test_features, test_groups = pick(test_idx)
    model = fit(train_texts, train_labels, chosen, features=train_features, seed=seed)
    evaluation = evaluate(model, test_texts, test_labels, groups=test_groups, features=test_features)
    evaluation["split"] = {"train_rows": len(train_idx), "test_rows": len(test_idx), "seed": seed,
                           "stratified_on": first if stratify is not None else None}
    return TrainingResult(model=model, evaluation=evaluation, train_rows=len(train_idx) + len(extra_training),
                          test_rows=len(test_idx))


def labels_for(examples: Iterable[Example]) -> list[str]:
    """'hate', then the strands present (in STRAND_LABELS order, then any others), then 'online' if present."""
    seen: set[str] = set()
    for example in examples:
        seen |= example.labels
    extra = sorted(seen - {HATE, ONLINE} - set(STRAND_LABELS))
    return [HATE, *[s for s in STRAND_LABELS if s in seen], *extra, *([ONLINE] if ONLINE in seen else [])]


def label_counts(examples: Iterable[Example]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for example in examples:
        for label in example.labels:
            counts[label] = counts.get(label, 0) + 1
    return dict(sorted(counts.items()))
