"""Which database errors are an outage (StoreUnavailable, retry later) and which are the statement's own."""

from __future__ import annotations

import pytest
from sqlalchemy import exc

from suno.errors import StoreUnavailable
from suno.store.outages import is_outage, reports_outages


class DriverError(Exception):
    pass


def wrapped(kind: type[exc.DBAPIError], *, invalidated: bool = False) -> exc.DBAPIError:
    return kind("SELECT 1", {}, DriverError("server at 10.0.0.5:5432"), connection_invalidated=invalidated)


@pytest.mark.parametrize(
    "error",
    [
        wrapped(exc.OperationalError),
        wrapped(exc.InterfaceError),
        wrapped(exc.InternalError),
        wrapped(exc.IntegrityError, invalidated=True),  # the connection broke under the statement
        exc.TimeoutError("QueuePool limit of size 10 overflow 10 reached"),
        exc.DisconnectionError("gone"),
        ConnectionRefusedError(111, "Connect call failed"),
        TimeoutError(),
    ],
)
def test_outages_are_recognised(error: BaseException) -> None:
    assert is_outage(error)


@pytest.mark.parametrize(
    "error",
    [
        wrapped(exc.IntegrityError),
        wrapped(exc.ProgrammingError),
        wrapped(exc.DataError),
        ValueError("a bug"),
        exc.NoResultFound(),
    ],
)
def test_the_statements_own_errors_pass_through(error: BaseException) -> None:
    assert not is_outage(error)


@reports_outages
class Store:
    def __init__(self, error: BaseException) -> None:
        self.error = error

    async def read(self) -> None:
        raise self.error

    async def _private(self) -> None:
        raise self.error


async def test_a_decorated_store_raises_store_unavailable_with_the_cause_kept_for_the_log() -> None:
    cause = wrapped(exc.OperationalError)
    with pytest.raises(StoreUnavailable) as caught:
        await Store(cause).read()
    assert caught.value.__cause__ is cause
    assert "10.0.0.5" not in str(caught.value) and caught.value.code == "SERVICE_UNAVAILABLE"
    with pytest.raises(exc.IntegrityError):
        await Store(wrapped(exc.IntegrityError)).read()
    with pytest.raises(exc.OperationalError):  # only the public methods are wrapped
        await Store(cause)._private()
