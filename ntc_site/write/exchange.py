"""Swapping two folders in one step, so that `--out` is at every instant either the old site or the new.

Linux has had `renameat2(..., RENAME_EXCHANGE)` since 3.15; Python has no wrapper for it, so it is called
through ctypes. Where the call or the file system does not support it, `write/output.py` falls back to two
renames and repairs a kill between them at the next start.
"""
from __future__ import annotations

import ctypes
import errno
import os
from pathlib import Path

from .. import faults

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories; False where the call is unavailable, OSError when it fails."""
    if faults.exchange_disabled():
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err))
