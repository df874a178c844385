"""Record linkage judged on Splink's labelled sets (../shared/data/splink-datasets): the clusters it
finds against the known ones, pair by pair."""

from __future__ import annotations

import importlib.util
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from umbrella.intelligence.linkage import evaluate, role_of

DATASETS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "splink-datasets"
FAKE_1000 = DATASETS / "fake_1000.csv"


def _needs(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared data sets live beside the repository (../shared/data)")


def test_each_column_is_compared_by_what_its_name_says_it_holds() -> None:
    assert [role_of(c) for c in ("first_name", "Surname", "dob", "email", "postcode_fake", "city")] == [
        "first_name", "surname", "dob", "email", "postcode", "other"]


def test_fake_1000_is_linked_with_a_pairwise_f1_of_at_least_0_9() -> None:
    _needs(FAKE_1000)
    result = evaluate(FAKE_1000, id_column="unique_id", cluster_column="cluster")
    assert result.rows == 1000 and result.columns == ("first_name", "surname", "dob", "city", "email")
    assert result.f1 >= 0.90, (result.precision, result.recall)
    assert result.precision >= 0.95  # few people wrongly put together


def test_the_command_prints_the_figures_and_explains_bad_input(tmp_path: Path) -> None:
    _needs(FAKE_1000)
    out = StringIO()
    call_command("linkage_evaluate", "--csv", str(FAKE_1000), "--id-column", "unique_id", "--cluster-column", "cluster",
                 "--columns", "first_name,surname,dob", stdout=out)
    figures = dict(line.split(",", 1) for line in out.getvalue().splitlines())
    assert figures["rows"] == "1000" and figures["columns"] == "first_name surname dob"
    assert 0 < float(figures["f1"]) <= 1 and int(figures["true_pairs"]) > 0
    with pytest.raises(CommandError, match="has no column 'person'"):
        call_command("linkage_evaluate", "--csv", str(FAKE_1000), "--id-column", "person", "--cluster-column", "cluster")
    with pytest.raises(CommandError, match="There is no file"):
        call_command("linkage_evaluate", "--csv", str(tmp_path / "none.csv"), "--id-column", "a", "--cluster-column", "b")
    with pytest.raises(CommandError, match="between 0 and 1"):
        call_command("linkage_evaluate", "--csv", str(FAKE_1000), "--id-column", "unique_id", "--cluster-column", "cluster",
                     "--threshold", "2")


@pytest.mark.skipif(importlib.util.find_spec("pyspark") is not None, reason="the spark extra is installed here")
def test_without_the_extra_the_spark_engine_says_how_to_get_it(tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text("id,cluster,first_name\n1,a,Ann\n2,a,Anne\n", encoding="utf-8")
    with pytest.raises(CommandError, match="uv sync --extra spark"):
        call_command("linkage_evaluate", "--csv", str(source), "--id-column", "id", "--cluster-column", "cluster",
                     "--engine", "spark", stdout=StringIO())
