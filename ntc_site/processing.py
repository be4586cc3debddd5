"""Which input a build was working on when something unexpected (a bug) was raised.

Bad content never raises: it becomes a `Problem`. An exception is therefore a bug, and the person who
meets it needs to know which file triggered it, to report it or to work around it. Each stage wraps the
work on one file in `processing(path)`; the innermost path is attached to the exception on its way out,
and, because it travels with the exception (pickled with it across the worker pool), no state is shared
or left behind. `cli.py` reads it with `file_of`.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

_ATTRIBUTE = "ntc_processing"


@contextmanager
def processing(path: str) -> Iterator[None]:
    """Name `path` on any exception raised inside the block, unless a narrower block named one already."""
    try:
        yield
    except Exception as err:
        if not hasattr(err, _ATTRIBUTE):
            try:
                setattr(err, _ATTRIBUTE, path)
            except (AttributeError, TypeError):  # an exception type that refuses attributes: left unnamed
                pass
        raise


def file_of(err: BaseException) -> str | None:
    """The file named on the exception or, for a re-raised one, on the exception it came from."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        found = getattr(current, _ATTRIBUTE, None)
        if isinstance(found, str):
            return found
        current = current.__cause__ or current.__context__
    return None
