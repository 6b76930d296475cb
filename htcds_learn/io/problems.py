"""How a reader says that a file cannot be read: one line naming the file, and the line, row
and column where known, with a hint; worded by the message catalogue (ids ``io.*``).

>>> try:
...     fail("cases.csv", "io.table.no-records")
... except InputError as error:
...     print(error)
cases.csv: the file holds no records, only a header. Export the data again, with its rows.
"""

from __future__ import annotations

from os import PathLike
from typing import Any, NoReturn

from ..errors import InputError


def fail(path: str | PathLike[str], message_id: str, /, **values: Any) -> NoReturn:
    """Raise :class:`InputError` worded by ``message_id``; ``{file}`` is ``path``."""
    raise InputError.from_catalogue(message_id, file=str(path), **values)
