"""The Splink pipeline both linkage modes share: register tables, estimate u by sampling,
train m by EM, predict; on DuckDB (default) or Spark (local[2] unless a session is active)."""

from __future__ import annotations

import dataclasses
import logging
import math
import tempfile
from collections.abc import Callable, Mapping
from typing import Any

from splink import Linker, SettingsCreator
from splink.internals.exceptions import EMTrainingException, SplinkException

logger = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]  # (stage, stages done, stages in all)

SEED = 20261123
U_MAX_PAIRS = 2e6
EM_MAX_PAIRS = 2e6
SPARK_LINEAGE = "parquet"
# Parameters that move less than this are settled: later EM rounds only cost time (a Spark
# round is a job of its own).
EM_STOPPING = {"em_convergence": 0.001, "max_iterations": 10}


def prior_set(linker: Linker, rules: list[str], *, recall: float) -> None:
    """Splink's estimate of the share of pairs that match, from near-certain rules; floored so
    that a tiny input with no near-certain pair can still link."""
    linker.training.estimate_probability_two_random_records_match(rules, recall=recall)
    settings = linker._settings_obj  # Splink keeps the estimate only here
    settings._probability_two_random_records_match = max(
        settings._probability_two_random_records_match, 1e-6
    )


def run_splink(
    tables: Mapping[str, dict[str, list]],
    *,
    settings: SettingsCreator,
    training: Callable[[Linker, int], None],
    backend: str,
    threshold: float,
    progress: Progress | None,
    model: dict | None = None,
) -> tuple[list[dict[str, Any]], dict]:
    """Train on the tables (unless `model` is given) and predict the pairs at or above
    `threshold`; returns the predictions and the model used."""
    stages = 3
    report = progress or (lambda stage, done, total: None)
    report("prepare", 0, stages)
    if model is None:
        db_api, frames, model = trained_model(
            tables, settings=settings, training=training, backend=backend
        )
    else:
        db_api, frames = tables_registered(tables, backend)
    report("train", 1, stages)
    inputs = list(frames.values())
    linker = Linker(inputs if len(inputs) > 1 else inputs[0], model, log_level=None)
    report("predict", 2, stages)
    predictions = quietly(
        linker.inference.predict,
        threshold_match_probability=threshold,
        warning_mode="never",
    )
    rows = predictions.as_record_list()
    report("done", 3, stages)
    return rows, model


def tables_registered(tables: Mapping[str, dict[str, list]], backend: str) -> tuple[Any, dict]:
    db_api = _db_api(backend)
    frames = {}
    for name, columns in tables.items():
        frames[name] = db_api.register(_arrow_table(columns), table_name=f"__quipu_{name}")
        frames[name].dataset_display_name = name
    return db_api, frames


def trained_model(
    tables: Mapping[str, dict[str, list]],
    *,
    settings: SettingsCreator,
    training: Callable[[Linker, int], None],
    backend: str,
) -> tuple[Any, dict, dict]:
    """(db_api, registered frames, trained model JSON) for these tables."""
    db_api, frames = tables_registered(tables, backend)
    # u from pairs within the largest table: random pairs across tables hold too many true
    # matches where most people on one side are on the other (cross-border records are), and
    # they would make a high Dice look common among non-matches.
    largest = max(tables, key=lambda name: len(tables[name]["unique_id"]))
    u_linker = Linker(
        frames[largest], dataclasses.replace(settings, link_type="dedupe_only"), log_level=None
    )
    # One chunk and no early stop: the same pairs on every backend.
    quietly(
        u_linker.training.estimate_u_using_random_sampling,
        max_pairs=U_MAX_PAIRS,
        seed=SEED,
        min_count_per_level=None,
        num_chunks=1,
    )
    model = u_linker.misc.save_model_to_json()
    model["link_type"] = settings.link_type
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level"):
                # Never seen among sampled non-matches: rarer than one in the sample.
                level.setdefault("u_probability", 0.5 / U_MAX_PAIRS)
    inputs = list(frames.values())
    linker = Linker(inputs if len(inputs) > 1 else inputs[0], model, log_level=None)
    sizes = [len(columns["unique_id"]) for columns in tables.values()]
    quietly(training, linker, math.prod(sizes) if len(sizes) > 1 else sizes[0] ** 2 // 2)
    return db_api, frames, linker.misc.save_model_to_json()


def em_session(linker: Linker, rule, **options) -> None:
    """One EM session; on a tiny input that it cannot train on, the starting m values stay."""
    settings = linker._settings_obj
    prior = settings._probability_two_random_records_match
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, **options
        )
    except (EMTrainingException, SplinkException):
        # No pairs, or so few that EM ran to certainty (a share of matches of 1).
        logger.info("EM could not train on a rule; starting values kept")
    # The prior is prior_set's; a failed session must not leave its own estimate behind.
    settings._probability_two_random_records_match = prior


def quietly(function: Callable, *args, **kwargs):
    """Splink logs its training at INFO and WARNING; the caller shows its own progress."""
    splink_logger = logging.getLogger("splink")
    level = splink_logger.level
    splink_logger.setLevel(logging.ERROR)
    try:
        return function(*args, **kwargs)
    finally:
        splink_logger.setLevel(level)


INTEGER_COLUMNS = frozenset({"clk_bits", "birth_year", "birth_month", "birth_day"})
LIST_COLUMNS = frozenset({"tokens", "given_arr", "surname_arr"})


def _arrow_table(columns: dict[str, list]):
    """Explicit types: a column of None alone would otherwise have no type."""
    import pyarrow as pa

    def arrow_type(name: str):
        if name in INTEGER_COLUMNS or name.startswith(("clk_", "band_")):
            return pa.int64()
        return pa.list_(pa.string()) if name in LIST_COLUMNS else pa.string()

    return pa.table(
        {name: pa.array(values, type=arrow_type(name)) for name, values in columns.items()}
    )


def _db_api(backend: str):
    if backend == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI()
    if backend == "spark":
        from splink import SparkAPI

        return SparkAPI(spark_session=spark_session(), break_lineage_method=SPARK_LINEAGE)
    raise ValueError(f"unknown linkage backend: {backend}")


def spark_session():
    """The active Spark session, or a local[2] one with Splink's similarity functions."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    session = (
        SparkSession.builder.master("local[2]")
        .appName("quipu-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        # Small local jobs: few partitions and no adaptive re-planning of each tiny query.
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate()
    )
    # Splink writes each intermediate table as parquet under the checkpoint directory.
    session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="quipu-spark-"))
    return session
