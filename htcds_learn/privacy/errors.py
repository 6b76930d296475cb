"""The one error every sharing step raises when it will not go on."""

from __future__ import annotations

from typing import Any

from ..errors import HtcdsLearnError


class SharingError(HtcdsLearnError):
    """A sharing step that would not be safe, or cannot be done as asked.

    >>> str(refuse("privacy.no_consent_column"))[:40]
    'The table has no con_Consent column, so '
    """


def refuse(message_id: str, /, **values: Any) -> SharingError:
    """A :class:`SharingError` worded by the message catalogue (ids start with ``privacy.``)."""
    error = SharingError.from_catalogue(message_id, **values)
    assert isinstance(error, SharingError)
    return error
