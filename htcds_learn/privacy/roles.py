"""Privacy roles: which fields identify a person on their own, which in combination.

The roles are metadata of the standard (:func:`htcds_learn.standard.privacy_role`); they are
named here too because every sharing step reads them.

>>> role("prs_MobilePhone"), role("prs_Gender"), role("vic_TypeOfExploitation")
('direct identifier', 'quasi-identifier', 'sensitive')
"""

from __future__ import annotations

import pandas as pd

from .. import standard

DIRECT = standard.DIRECT_IDENTIFIER
QUASI = standard.QUASI_IDENTIFIER
SENSITIVE = standard.SENSITIVE
FREE_TEXT = standard.FREE_TEXT
OTHER = standard.OTHER_ROLE


def role(field_name: str) -> str:
    """The privacy role of a field (see :func:`htcds_learn.standard.privacy_role`)."""
    return standard.privacy_role(field_name)


def roles_table() -> pd.DataFrame:
    """Every field with its privacy role, for reading in a lesson.

    >>> roles_table().set_index("field").loc["prs_Birthdate", "role"]
    'direct identifier'
    """
    return pd.DataFrame([{"field": f.name, "label": f.label, "section": f.section,
                          "role": role(f.name)} for f in standard.fields(include_deprecated=True)])
