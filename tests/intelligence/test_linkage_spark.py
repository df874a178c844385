"""The same linkage on Apache Spark (local mode): run by `make test-spark`, skipped without the
spark extra or Java."""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from tests.intelligence.test_linkage import FAKE_1000, _needs
from umbrella.intelligence.linkage import evaluate

pytestmark = pytest.mark.spark

HAS_SPARK = importlib.util.find_spec("pyspark") is not None and shutil.which("java") is not None


@pytest.mark.skipif(not HAS_SPARK, reason="needs the spark extra and Java 17+ (make test-spark)")
def test_spark_links_fake_1000_as_well_as_duckdb() -> None:
    _needs(FAKE_1000)
    on_spark = evaluate(FAKE_1000, id_column="unique_id", cluster_column="cluster", engine="spark")
    on_duckdb = evaluate(FAKE_1000, id_column="unique_id", cluster_column="cluster")
    assert on_spark.rows == 1000 and on_spark.columns == on_duckdb.columns
    assert on_spark.f1 >= 0.90, (on_spark.precision, on_spark.recall)
    assert abs(on_spark.f1 - on_duckdb.f1) < 0.03  # the same settings and training give the same answer
