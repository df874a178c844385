"""Probabilistic record linkage with Splink (Fellegi-Sunter, trained without labels): which rows
of a table are the same person, despite typos, nicknames, swapped names and missing values.

Each column gets a comparison by what it holds, read from its name: given and family names
(``NameComparison``: exact, then Jaro-Winkler, with term-frequency adjustment for common names),
dates of birth (``DateOfBirthComparison``: exact, then typos and nearby dates), e-mail addresses,
postcodes, and any other column as an exact match weighted by how common its value is.

The model is trained as Splink recommends: the prior from a deterministic rule with an assumed
recall, u from random pairs, m by expectation maximisation on a few blocks that each leave other
columns free. Pairs scoring at least ``threshold`` are linked and the links clustered (connected
components). DuckDB runs it in memory; nothing is written to disk.

At national scale the same settings run on Apache Spark (``link_spark``; the optional ``spark``
extra and Java 17+): Splink's Spark backend, with its Java similarity functions registered, and
lineage broken by checkpoints while clustering iterates. ``umbrella linkage evaluate --engine spark``
runs it; ``make test-spark`` tests it in Spark's local mode.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

# What a column holds, from its name (lower case, compared after removing "_" and spaces).
_ROLE_NAMES = {
    "first_name": ("firstname", "forename", "givenname", "given", "first"),
    "surname": ("surname", "lastname", "familyname", "family", "last"),
    "dob": ("dob", "dateofbirth", "birthdate", "born"),
    "email": ("email", "emailaddress", "mail"),
    "postcode": ("postcode", "postcodefake", "zip", "postalcode"),
}
# Columns that say nothing about who someone is (or are the answer) and are left out by default.
_NEVER_COMPARED = {"uniqueid", "id", "cluster", "clusterid", "sourcedataset"}


def role_of(column: str) -> str:
    key = column.lower().replace("_", "").replace(" ", "")
    for role, names in _ROLE_NAMES.items():
        if key in names:
            return role
    return "other"


@dataclass(frozen=True)
class Evaluation:
    rows: int
    true_pairs: int
    predicted_pairs: int
    true_positive_pairs: int
    seconds: float
    threshold: float
    columns: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.true_positive_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _settings(columns: Sequence[str]) -> tuple[Any, list[Any], Any]:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    roles = {column: role_of(column) for column in columns}
    by_role = {role: column for column, role in roles.items() if role != "other"}
    comparisons: list[Any] = []
    for column, role in roles.items():
        if role in ("first_name", "surname"):
            comparisons.append(cl.NameComparison(column).configure(term_frequency_adjustments=True))
        elif role == "dob":
            comparisons.append(cl.DateOfBirthComparison(column, input_is_string=True))
        elif role == "email":
            comparisons.append(cl.EmailComparison(column))
        elif role == "postcode":
            comparisons.append(cl.PostcodeComparison(column))
        else:
            comparisons.append(cl.ExactMatch(column).configure(term_frequency_adjustments=True))
    first, last, dob = by_role.get("first_name"), by_role.get("surname"), by_role.get("dob")
    # Blocks for prediction: each lets a pair through on one strong agreement, so a typo in one
    # column still leaves the pair another way in.
    blocks: list[Any] = []
    if first and last:
        blocks += [block_on(first), block_on(last), block_on(f"substr({first},1,2)", f"substr({last},1,2)")]
    if last and dob:
        blocks.append(block_on(last, dob))
    if first and dob:
        blocks.append(block_on(first, dob))
    for role in ("email", "postcode"):
        if role in by_role:
            blocks.append(block_on(by_role[role]))
    if dob:
        blocks.append(block_on(dob))
        others = [c for c, r in roles.items() if r == "other"]
        if others:
            blocks.append(block_on(f"substr({dob},1,4)", others[0]))
    if not blocks:
        blocks = [block_on(column) for column in columns]
    # Training blocks for m: each leaves the columns it does not block on free to be learnt.
    training = [block for block in (
        block_on(dob) if dob else None,
        block_on(first, last) if first and last else None,
        block_on(by_role["email"]) if "email" in by_role else None,
        block_on(by_role["postcode"]) if "postcode" in by_role else None,
    ) if block is not None] or blocks[:2]
    prior = block_on(first, last) if first and last else blocks[0]
    settings = SettingsCreator(link_type="dedupe_only", comparisons=comparisons,
                               blocking_rules_to_generate_predictions=blocks, retain_intermediate_calculation_columns=False,
                               retain_matching_columns=False)
    return settings, training, prior


def _trained_clusters(api: Any, table: Any, *, columns: Sequence[str], threshold: float) -> Any:
    """Trains the model on ``table`` through Splink's ``api`` (any backend) and clusters the links."""
    from splink import Linker

    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.ERROR)
    settings, training, prior = _settings(columns)
    linker = Linker(api.register(table), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match([prior], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for block in training:
        linker.training.estimate_parameters_using_expectation_maximisation(block)
    predictions = linker.inference.predict(threshold_match_probability=min(threshold, 0.5))
    return linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold_match_probability=threshold)


def link(
    connection: duckdb.DuckDBPyConnection, table: duckdb.DuckDBPyRelation, *, columns: Sequence[str], threshold: float = 0.5,
) -> dict[Any, Any]:
    """Clusters the rows of ``table`` (its ids in a ``unique_id`` column, then ``columns``): each
    linked row's id to its cluster's id. A row linked to nothing is left out."""
    from splink.backends.duckdb import DuckDBAPI

    clusters = _trained_clusters(DuckDBAPI(connection=connection), table, columns=columns, threshold=threshold)
    return dict(clusters.as_duckdbpyrelation().select("unique_id, cluster_id").fetchall())


def spark_session(*, cores: int = 2, memory: str = "4g") -> Any:
    """A local Spark session ready for Splink: its Java similarity functions (Jaro-Winkler and the
    rest) on the class path, and a checkpoint directory, since clustering iterates and each pass
    would otherwise lengthen the lineage until the driver runs out of memory. Needs the ``spark``
    extra and Java 17+; on a cluster, build the session as the cluster requires, with the same two."""
    import tempfile

    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    session = (
        SparkSession.builder.master(f"local[{cores}]").appName("umbrella-linkage")
        .config("spark.jars", similarity_jar_location()).config("spark.driver.memory", memory)
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", str(cores * 2))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="umbrella-spark-"))
    return session


def link_spark(spark: Any, dataframe: Any, *, columns: Sequence[str], threshold: float = 0.5) -> dict[Any, Any]:
    """``link`` on Apache Spark: ``dataframe`` (a Spark DataFrame with ``unique_id`` and ``columns``)
    clustered with the same settings, trained the same way."""
    from splink.backends.spark import SparkAPI

    api = SparkAPI(spark_session=spark, break_lineage_method="checkpoint",  # type: ignore[no-untyped-call]
                   num_partitions_on_repartition=int(spark.conf.get("spark.sql.shuffle.partitions")))
    clusters = _trained_clusters(api, dataframe, columns=columns, threshold=threshold)
    return {row["unique_id"]: row["cluster_id"]
            for row in clusters.as_spark_dataframe().select("unique_id", "cluster_id").collect()}


def read_table(connection: duckdb.DuckDBPyConnection, path: Path) -> duckdb.DuckDBPyRelation:
    """A CSV (every column as text) or a Parquet file."""
    if path.suffix.lower() == ".parquet":
        return connection.read_parquet(str(path))
    return connection.read_csv(str(path), all_varchar=True, header=True)


def evaluate(
    path: Path, *, id_column: str, cluster_column: str, columns: Sequence[str] | None = None, threshold: float = 0.5,
    engine: str = "duckdb",
) -> Evaluation:
    """Links the file's rows without looking at ``cluster_column``, then compares the clusters with
    it pair by pair: precision, recall and F1 over the pairs of rows put together."""
    import duckdb  # imported when linking: the pages that only read links never need it

    started = time.perf_counter()
    connection = duckdb.connect()
    source = read_table(connection, path)
    missing = [c for c in (id_column, cluster_column, *(columns or ())) if c not in source.columns]
    if missing:
        raise ValueError(f"{path.name} has no column {', '.join(repr(c) for c in missing)}; it has {', '.join(source.columns)}")
    chosen = tuple(columns or [c for c in source.columns if c not in (id_column, cluster_column)
                               and c.lower().replace("_", "") not in _NEVER_COMPARED])
    # Only the file's own column names reach the SQL, each quoted as an identifier.
    selected = ", ".join(f"CAST({_quoted(c)} AS VARCHAR) AS {_quoted(c)}" for c in chosen)
    table = connection.sql(f"SELECT CAST({_quoted(id_column)} AS VARCHAR) AS unique_id, {selected} FROM source")  # noqa: S608
    truth = dict(connection.sql(
        f"SELECT CAST({_quoted(id_column)} AS VARCHAR), CAST({_quoted(cluster_column)} AS VARCHAR) FROM source"  # noqa: S608
    ).fetchall())
    if engine == "spark":
        from pyspark.sql.types import StringType, StructField, StructType

        spark = spark_session()
        # Every column is text already (the CASTs above); missing values stay nulls.
        schema = StructType([StructField(name, StringType(), True) for name in ("unique_id", *chosen)])
        frame = spark.createDataFrame(table.fetchall(), schema=schema)
        found = link_spark(spark, frame, columns=chosen, threshold=threshold)
    else:
        found = link(connection, table, columns=chosen, threshold=threshold)
    for row_id in truth:  # a row in no link is a cluster of its own
        found.setdefault(row_id, row_id)
    cells = Counter((found[row_id], cluster) for row_id, cluster in truth.items())
    return Evaluation(
        rows=len(truth),
        true_pairs=sum(_pairs(n) for n in Counter(truth.values()).values()),
        predicted_pairs=sum(_pairs(n) for n in Counter(found[row_id] for row_id in truth).values()),
        true_positive_pairs=sum(_pairs(n) for n in cells.values()),
        seconds=time.perf_counter() - started, threshold=threshold, columns=chosen,
    )
