"""Record linkage on Splink's labelled sets (../shared/data/splink-datasets): pairwise F1 on
fake_1000 (target at least 0.90) and the time to link the historical figures' 50,000 rows (target
under 60 s), with its F1 at the default threshold and at 0.99. Skipped, with a note, when the
shared data is absent."""

from __future__ import annotations

from pathlib import Path

from bench.report import Measurement, Results, note

DATASETS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "splink-datasets"
HISTORICAL_COLUMNS = ["first_name", "surname", "dob", "birth_place", "postcode_fake", "occupation"]


def run_linkage(results: Results, *, backend: str, quick: bool) -> None:
    from umbrella.intelligence.linkage import evaluate

    fake = DATASETS / "fake_1000.csv"
    if not fake.exists():
        note(f"linkage: {DATASETS} is absent; skipped")
        results.add(Measurement(backend, "linkage F1, fake_1000", None, "%", "≥ 90%", "n/a", f"{fake} is absent"))
        return
    small = evaluate(fake, id_column="unique_id", cluster_column="cluster")
    results.add(Measurement(
        backend, "linkage F1, fake_1000", round(100 * small.f1, 1), "%", "≥ 90%", "met" if small.f1 >= 0.90 else "missed",
        f"precision {small.precision:.3f}, recall {small.recall:.3f}; {small.rows} rows linked in {small.seconds:.1f} s",
    ))
    historical = DATASETS / "historical_figures_with_errors_50k.parquet"
    if quick or not historical.exists():
        return
    for threshold in (0.5, 0.99):
        large = evaluate(historical, id_column="unique_id", cluster_column="cluster", columns=HISTORICAL_COLUMNS,
                         threshold=threshold)
        if threshold == 0.5:
            results.add(Measurement(
                backend, "linkage time, historical figures 50k", round(large.seconds, 1), "s", "< 60 s",
                "met" if large.seconds < 60 else "missed", f"{large.rows:,} rows, read, trained, linked and clustered",
            ))
        results.add(Measurement(
            backend, f"linkage F1, historical figures 50k, threshold {threshold}", round(100 * large.f1, 1), "%", "", "",
            f"precision {large.precision:.3f}, recall {large.recall:.3f}; columns {', '.join(large.columns)}",
        ))
