"""A Prometheus histogram of HTTP latencies that costs one bisect and two additions per request.

prometheus_client's Histogram takes a lock per bucket and per sum on every observation, through half a
dozen calls: more than a `/ping` itself costs. Every request is observed on the event loop's thread, so
plain counters are enough; the registry reads them at scrape time through `collect`, in the same
exposition as a prometheus_client Histogram (`_bucket` with cumulative `le`, `_count`, `_sum`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence

from prometheus_client import CollectorRegistry
from prometheus_client.metrics_core import HistogramMetricFamily, Metric


def bucket_label(bound: float) -> str:
    """`le` as prometheus_client writes it: "0.005", "60.0", "+Inf"."""
    return "+Inf" if bound == float("inf") else repr(float(bound))


class Series:
    """One label set's counts: one slot per bucket bound, a last one for +Inf, and the sum."""

    __slots__ = ("counts", "total")

    def __init__(self, buckets: int) -> None:
        self.counts = [0] * (buckets + 1)
        self.total = 0.0


class LatencyHistogram:
    def __init__(
        self,
        name: str,
        documentation: str,
        label_names: Sequence[str],
        buckets: Sequence[float],
        registry: CollectorRegistry,
    ) -> None:
        self.name = name
        self.documentation = documentation
        self.label_names = list(label_names)
        self.bounds = tuple(sorted(buckets))
        self._series: dict[tuple[str, ...], Series] = {}
        registry.register(self)

    def series(self, *labels: str) -> Series:
        """The counts of one label set (keep it: observing it then needs no lookup)."""
        if len(labels) != len(self.label_names):
            raise ValueError(f"{self.name} takes labels {self.label_names}, got {labels}")
        found = self._series.get(labels)
        if found is None:
            found = self._series[labels] = Series(len(self.bounds))
        return found

    def observe(self, series: Series, seconds: float) -> None:
        # bisect_left: the first bound >= seconds, as Prometheus's `le` counts.
        series.counts[bisect_left(self.bounds, seconds)] += 1
        series.total += seconds

    def collect(self) -> Iterator[Metric]:
        family = HistogramMetricFamily(self.name, self.documentation, labels=self.label_names)
        for labels, series in list(self._series.items()):
            counts, running, buckets = list(series.counts), 0, []
            for bound, count in zip((*self.bounds, float("inf")), counts, strict=True):
                running += count
                buckets.append((bucket_label(bound), running))
            family.add_metric(list(labels), buckets, series.total)
        yield family

    def describe(self) -> Iterator[Metric]:
        yield HistogramMetricFamily(self.name, self.documentation, labels=self.label_names)
