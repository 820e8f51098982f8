"""The pool's credits are added up once (suno.pool_credits); each door keeps its own wire shape for an
unknown figure: GraphQL says null, gcui, sunoapi and MCP say 0, and the last two read billing first."""

from __future__ import annotations

from typing import Any, cast

from rest_compat.gcui.views import limit_reply
from rest_compat.mcp_door.arguments import Arguments
from rest_compat.mcp_door.tools import SunoTools
from rest_compat.sunoapi.routes import SunoapiDoor
from schema.account import Account
from suno.config import Settings
from suno.models import AccountStatus
from suno.pool_credits import PoolCredits
from suno.service import SunoService

KNOWN = AccountStatus("a", credits_left=40, monthly_limit=50, monthly_usage=10, period="month")
UNKNOWN = AccountStatus("b")


class Billing:
    """A service whose accounts report `first`, and `refreshed` once billing is read again."""

    def __init__(self, first: list[AccountStatus], refreshed: list[AccountStatus]) -> None:
        self.first, self.refreshed, self.refreshes = first, refreshed, 0

    async def account(self, *, refresh: bool = False) -> list[AccountStatus]:
        self.refreshes += refresh
        return self.refreshed if refresh else self.first


def test_known_figures_are_summed_and_unknown_ones_are_not_zero() -> None:
    assert PoolCredits.of([KNOWN, UNKNOWN, AccountStatus("c", credits_left=2)]) == PoolCredits(
        credits_left=42, monthly_limit=50, monthly_usage=10, period="month", complete=False
    )
    assert PoolCredits.of([UNKNOWN]) == PoolCredits(None, None, None, None, complete=False)
    assert PoolCredits.of([KNOWN]).complete and PoolCredits.of([]).complete


def test_graphql_shows_an_unknown_total_as_null() -> None:
    shown = Account.from_domain([UNKNOWN], now=0.0)
    assert (shown.credits_left, shown.monthly_limit, shown.monthly_usage, shown.period) == (None,) * 4
    partial = Account.from_domain([KNOWN, UNKNOWN], now=0.0)
    assert (partial.credits_left, partial.monthly_limit, partial.period) == (40, 50, "month")


def test_gcui_shows_an_unknown_total_as_zero() -> None:
    assert limit_reply([UNKNOWN]) == {
        "credits_left": 0,
        "period": None,
        "monthly_limit": 0,
        "monthly_usage": 0,
    }


async def test_sunoapi_reads_billing_when_an_account_is_unknown_and_answers_a_number() -> None:
    billing = Billing([KNOWN, UNKNOWN], [KNOWN, AccountStatus("b", credits_left=5)])
    door = SunoapiDoor(cast(SunoService, billing), Settings(), cast(Any, None))
    assert await door.credit(cast(Any, None)) == 45 and billing.refreshes == 1
    still_unknown = SunoapiDoor(cast(SunoService, Billing([UNKNOWN], [UNKNOWN])), Settings(), cast(Any, None))
    assert await still_unknown.credit(cast(Any, None)) == 0
    complete = Billing([KNOWN], [])
    assert (
        await SunoapiDoor(cast(SunoService, complete), Settings(), cast(Any, None)).credit(cast(Any, None))
        == 40
        and complete.refreshes == 0
    )


async def test_mcp_reads_billing_when_an_account_is_unknown_and_answers_a_number() -> None:
    billing = Billing([UNKNOWN], [UNKNOWN])
    status = await SunoTools(cast(SunoService, billing), cast(Any, None)).account_status(
        Arguments("account_status", {}, ["refresh"])
    )
    assert status["credits_left"] == 0 and billing.refreshes == 1
    assert [account["credits_left"] for account in status["accounts"]] == [None]
    complete = Billing([KNOWN], [])
    status = await SunoTools(cast(SunoService, complete), cast(Any, None)).account_status(
        Arguments("account_status", {}, ["refresh"])
    )
    assert status["credits_left"] == 40 and complete.refreshes == 0
