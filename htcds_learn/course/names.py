"""People's names as LMS downloads write them: an id that keeps the name, and a key to match.

Two jobs, kept apart on purpose:

- :func:`person_id` makes an id that is safe as a folder name but keeps the person's own
  letters: ``Олена Коваленко`` stays ``Олена-Коваленко`` and ``Đặng Văn Minh`` stays
  ``Đặng-Văn-Minh``. An id is shown to people, so it is never transliterated.
- :func:`name_keys` makes keys for *matching* only: case, accents and script are folded
  (Cyrillic and Greek are transliterated, ``Đ`` becomes ``D``), spaces and punctuation are
  dropped, and every order of the name's parts is a key, because Canvas writes a sortable
  name ("Kovalenko, Olena" -> ``kovalenkoolena``) and Moodle may put the family name first.

>>> person_id("Đặng Văn Minh"), person_id("Олена  Коваленко")
('Đặng-Văn-Minh', 'Олена-Коваленко')
>>> fold("Олена Коваленко") == fold("Olena Kovalenko") == "olenakovalenko"
True
>>> "kovalenkoolena" in name_keys("Olena Kovalenko")
True
>>> fold("Đặng Văn Minh"), fold("Zoë Ångström"), fold("José Núñez")
('dangvanminh', 'zoeangstrom', 'josenunez')
"""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent.
_LATIN = {"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th",
          "ı": "i", "ħ": "h", "ŋ": "ng", "ə": "e"}
# Ukrainian and Russian Cyrillic, as their national passport systems write them (close
# enough to match a roster typed in Latin letters; never used for an id).
_CYRILLIC = dict(zip(
    "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяёыэъ",
    ["a", "b", "v", "h", "g", "d", "e", "ie", "zh", "z", "y", "i", "i", "i", "k", "l", "m",
     "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "iu", "ia",
     "e", "y", "e", ""]))
_GREEK = dict(zip("αβγδεζηθικλμνξοπρστυφχψως",
                  ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o",
                   "p", "r", "s", "t", "y", "f", "ch", "ps", "o", "s"]))
_TABLE = {**_LATIN, **_CYRILLIC, **_GREEK}
_NOT_ID = re.compile(r"[^\w.@-]+")


def person_id(raw: str) -> str:
    """A folder-safe id that keeps the person's own letters: 'Amina Yusuf' -> 'Amina-Yusuf'."""
    text = unicodedata.normalize("NFC", raw).strip()
    text = _NOT_ID.sub("-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-.")
    return text


def fold(text: str) -> str:
    """Letters and digits only, lower case, accents removed, Cyrillic and Greek in Latin."""
    letters = (_TABLE.get(char, char) for char in unicodedata.normalize("NFKD", text.casefold())
               if not unicodedata.combining(char))
    return "".join(char for char in "".join(letters) if char.isalnum())


def name_keys(name: str) -> set[str]:
    """Every folded key a person's name may take in an LMS: each rotation of its parts."""
    parts = [fold(part) for part in re.split(r"[\s,]+", name) if fold(part)]
    if not parts:
        return set()
    return {"".join(parts[i:] + parts[:i]) for i in range(len(parts))}
