"""The tests' eventually() helper: what passes, what is retried, and how it fails."""

from __future__ import annotations

import pytest

from tests.support.eventually import eventually


def counting(passes_on: int, value: object = "done"):
    """A check that fails until its `passes_on`-th call; `calls` counts them."""
    calls: list[int] = []

    def check() -> object:
        calls.append(1)
        assert len(calls) >= passes_on, f"attempt {len(calls)}"
        return value

    return check, calls


async def test_a_predicate_is_retried_until_true_and_its_value_returned() -> None:
    answers = iter([False, 0, [], ["row"]])
    assert await eventually(lambda: next(answers), interval=0) == ["row"]


async def test_an_async_assertion_is_retried_until_it_passes() -> None:
    check, calls = counting(passes_on=3)

    async def async_check() -> object:
        return check()

    assert await eventually(async_check, interval=0) == "done"
    assert len(calls) == 3


async def test_an_assertion_style_check_returning_none_passes_at_once() -> None:
    check, calls = counting(passes_on=1, value=None)
    assert await eventually(check) is None
    assert len(calls) == 1


async def test_on_timeout_the_last_assertion_error_is_raised_with_a_note() -> None:
    check, calls = counting(passes_on=10**9)
    with pytest.raises(AssertionError, match="attempt") as caught:
        await eventually(check, timeout=0.05, interval=0.01)
    assert str(caught.value).startswith(f"attempt {len(calls)}\n")  # the last one, not the first
    assert len(calls) >= 2
    assert any("still failing after 0.05 s" in note for note in caught.value.__notes__)


async def test_a_predicate_still_false_at_the_deadline_fails_with_the_message() -> None:
    with pytest.raises(AssertionError, match=r"the worker never ticked.*last result: False"):
        await eventually(lambda: False, timeout=0.02, interval=0.005, message="the worker never ticked")


async def test_any_other_exception_is_a_real_failure_and_is_not_retried() -> None:
    calls: list[int] = []

    def broken() -> bool:
        calls.append(1)
        raise KeyError("no such task")

    with pytest.raises(KeyError):
        await eventually(broken, timeout=5)
    assert calls == [1]
