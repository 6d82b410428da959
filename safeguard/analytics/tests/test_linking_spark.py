"""The Spark engine gives the same clusters as DuckDB (local[2] session, started once)."""

from __future__ import annotations

import shutil

import pytest

from safeguard.analytics.linking import LinkageOptions, link_people
from safeguard.analytics.tests.people import EXPECTED_CLUSTERS, MENTIONS


def test_spark_and_duckdb_give_the_same_clusters() -> None:
    from pyspark.sql import SparkSession

    if shutil.which("java") is None:
        pytest.fail(
            "The Spark linking test needs a Java runtime: apt-get install default-jre-headless "
            "(.ci/run installs it)."
        )

    duckdb_result = link_people(MENTIONS)
    try:
        spark_result = link_people(MENTIONS, options=LinkageOptions(engine="spark"))
    finally:
        session = SparkSession.getActiveSession()
        if session is not None:
            session.stop()

    assert {frozenset(c) for c in spark_result.clusters} == EXPECTED_CLUSTERS
    assert spark_result.cluster_of == duckdb_result.cluster_of
    assert [(p.left_id, p.right_id) for p in spark_result.review_pairs] == [("r2", "r3"), ("r1", "r3")]
