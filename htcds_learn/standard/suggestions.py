"""'Did you mean ...?': the option nearest to a mistyped value.

>>> nearest("Femal", ["Feminine", "Masculine"])
'Feminine'
>>> suggest("Femal", ["Feminine", "Masculine"])
"Did you mean 'Feminine'?"
>>> suggest("xyz", ["Feminine", "Masculine"])
''
"""

from __future__ import annotations

from collections.abc import Iterable

from ..messages import Message


def nearest(wrong: object, options: Iterable[str]) -> str | None:
    """The option nearest to ``wrong``, or None when none is near enough.

    Uses rapidfuzz's weighted ratio, which copes with typos, letter case and spacing.
    """
    from rapidfuzz import fuzz, process

    options = list(options)
    if not options:
        return None
    text = " ".join(str(wrong).split())
    for option, _score, _ in process.extract(
        text, options, scorer=fuzz.WRatio, processor=lambda value: value.casefold(),
        score_cutoff=60, limit=5,
    ):
        # A short code inside a longer word is a coincidence, not a typo: skip it.
        if len(option) > 3 or fuzz.ratio(text.casefold(), option.casefold()) >= 60:
            return option
    return None


def did_you_mean(wrong: object, options: Iterable[str]) -> Message | None:
    """The 'Did you mean ...?' message for the nearest option, or None."""
    option = nearest(wrong, options)
    return None if option is None else Message("standard.did-you-mean", {"option": option})


def suggest(wrong: object, options: Iterable[str]) -> str:
    """'Did you mean ...?' for the option nearest to a mistyped value, or ``""``."""
    message = did_you_mean(wrong, options)
    return "" if message is None else str(message)
