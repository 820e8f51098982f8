"""`python -m bench`: every benchmark, the named ones, or one with its own options."""

from __future__ import annotations

import pytest

import bench.__main__ as runner


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[str]]]:
    seen: list[tuple[str, list[str]]] = []

    def fake(name: str) -> object:
        def entry(argv: list[str]) -> int:
            seen.append((name, argv))
            return 0

        return entry

    monkeypatch.setattr(runner, "benchmarks", lambda: {"ceilings": fake("ceilings"), "subs": fake("subs")})
    return seen


def test_no_name_runs_every_benchmark_with_its_defaults(calls: list[tuple[str, list[str]]]) -> None:
    assert runner.main([]) == 0
    assert calls == [("ceilings", []), ("subs", [])]


def test_options_after_one_name_go_to_that_benchmark(calls: list[tuple[str, list[str]]]) -> None:
    assert runner.main(["subs", "--subscriptions", "10000", "--client-processes", "3"]) == 0
    assert calls == [("subs", ["--subscriptions", "10000", "--client-processes", "3"])]


def test_options_without_exactly_one_name_or_an_unknown_name_are_refused(
    calls: list[tuple[str, list[str]]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert runner.main(["--rounds", "2"]) == 2
    assert runner.main(["ceilings", "subs", "--rounds", "2"]) == 2
    assert runner.main(["nope"]) == 2
    assert calls == []
    assert "available: ceilings, subs" in capsys.readouterr().err
