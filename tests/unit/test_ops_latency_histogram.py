"""The cheap latency histogram writes the same exposition as prometheus_client's Histogram."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry, Histogram, generate_latest

from ops.latency_histogram import LatencyHistogram

BUCKETS = (0.005, 0.01, 0.25, 60.0, 600.0)
LABELS = ["method", "route", "status"]


def lines(registry: CollectorRegistry) -> list[str]:
    text = generate_latest(registry).decode()
    return sorted(line for line in text.splitlines() if not line.startswith("#") and "_created" not in line)


def test_it_exposes_what_prometheus_clients_histogram_exposes() -> None:
    ours_registry, theirs_registry = CollectorRegistry(), CollectorRegistry()
    ours = LatencyHistogram("sunoql_x_seconds", "doc", LABELS, BUCKETS, ours_registry)
    theirs = Histogram("sunoql_x_seconds", "doc", LABELS, buckets=BUCKETS, registry=theirs_registry)
    samples = {
        ("GET", "/ping", "200"): [0.001, 0.005, 0.0051, 3.0, 700.0],
        ("POST", "/graphql", "400"): [0.2],
    }
    for labels, values in samples.items():
        series = ours.series(*labels)
        for value in values:
            ours.observe(series, value)
            theirs.labels(*labels).observe(value)
    assert lines(ours_registry) == lines(theirs_registry)
    assert 'sunoql_x_seconds_bucket{le="0.005",method="GET",route="/ping",status="200"} 2.0' in lines(
        ours_registry
    )  # a value on a bound counts in that bound's bucket


def test_a_label_set_of_the_wrong_size_is_refused() -> None:
    histogram = LatencyHistogram("sunoql_y_seconds", "doc", LABELS, BUCKETS, CollectorRegistry())
    with pytest.raises(ValueError, match="takes labels"):
        histogram.series("GET")
