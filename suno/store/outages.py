"""One translation of a database outage into the core's `StoreUnavailable`, for every store class.

An outage is the database (or the way to it) failing, not the statement: connection refused or lost, a
server shutting down or restarting, a pool that gives no connection in time. Errors of the statement
itself (a constraint, bad SQL, bad data) pass through unchanged, since trying again cannot help.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import exc

from suno.errors import StoreUnavailable

_MAYBE_OUTAGE = (exc.DBAPIError, exc.TimeoutError, exc.DisconnectionError, OSError)
# DBAPIErrors that the statement caused, unless the connection broke under it.
_STATEMENT_ERRORS = (exc.IntegrityError, exc.ProgrammingError, exc.DataError, exc.NotSupportedError)

Store = TypeVar("Store", bound=type)


def is_outage(error: BaseException) -> bool:
    if not isinstance(error, _MAYBE_OUTAGE):
        return False
    if isinstance(error, _STATEMENT_ERRORS):
        return bool(error.connection_invalidated)
    return True


def _guarded(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return await method(*args, **kwargs)
        except _MAYBE_OUTAGE as error:
            if is_outage(error):
                raise StoreUnavailable() from error
            raise

    return guarded


def reports_outages(cls: Store) -> Store:
    """Class decorator: each public coroutine method raises `StoreUnavailable` on an outage."""
    for name, member in list(vars(cls).items()):
        if not name.startswith("_") and inspect.iscoroutinefunction(member):
            setattr(cls, name, _guarded(member))
    return cls
