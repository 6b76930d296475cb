"""CTDC's public layout: one row per person, yes/no flags written as 1 or blank.

The Counter Trafficking Data Collaborative publishes victim records k-anonymised with k = 11.
Its file has flag columns (17 means of control, 3 types of exploitation) beside age band,
gender, citizenship, country of exploitation and year. A CTDC release is suppressed over the
columns it is made from, then written in this layout, and k is measured again on the final
file with every flag counted. The mapping is htcds-learn's analysis, not an official IOM
document (``docs/ctdc-mapping.md``).

>>> import pandas as pd
>>> row = pd.DataFrame({"gender": ["Feminine"], "vic_MethodsOfControl": ["DebtBondage"],
...                     "vic_TypeOfExploitation": ["ForcedLabour;ChildLabour"]})
>>> ctdc = to_ctdc(row)
>>> ctdc.loc[0, ["gender", "meansOfControlDebtBondage", "isForcedLabour", "isOtherExploit"]
...          ].tolist()
['Woman', '1', '1', '1']
"""

from __future__ import annotations

import pandas as pd

from .canonical import DELIMITER
from .coded import per_distinct
from .columns import CTDC_GENDER

CTDC_MEANS = {  # HTCDS picklist value -> CTDC's meansOfControl column (defect D1)
    "DebtBondage": "meansOfControlDebtBondage", "TakesEarnings": "meansOfControlTakesEarnings",
    "RestrictsFinancialAccess": "meansOfControlRestrictsFinancialAccess",
    "PhysicalThreats": "meansOfControlThreats",
    "PsychologicalAbuse": "meansOfControlPsychologicalAbuse",
    "PhysicalAbuse": "meansOfControlPhysicalAbuse", "SexualAbuse": "meansOfControlSexualAbuse",
    "FalsePromises": "meansOfControlFalsePromises",
    "PsychoactiveSubstance": "meansOfControlPsychoactiveSubstances",
    "RestrictsMedicalCare": "meansOfControlRestrictsMedicalCare",
    "ExcessiveWorkingHours": "meansOfControlExcessiveWorkingHours",
    "ThreatensChildrenFamily": "meansOfControlUsesChildren",
    "ThreatsLawEnforcement": "meansOfControlThreatOfLawEnforcement",
    "WithholdsNecessities": "meansOfControlWithholdsNecessities",
    "WithholdsDocuments": "meansOfControlWithholdsDocuments", "Other": "meansOfControlOther",
}
RESTRICTS_MOVEMENT = "meansOfControlRestrictsMovement"  # no HTCDS value (defect D1): blank
CTDC_TYPES = ("isForcedLabour", "isSexualExploit", "isOtherExploit")


def _sets(values: pd.Series) -> pd.Series:
    return per_distinct(values, lambda v: frozenset(str(v).split(DELIMITER)) - {""})


def to_ctdc(safe: pd.DataFrame) -> pd.DataFrame:
    """A release table in CTDC's public column layout (flags are "1" or blank)."""
    blank = pd.Series("", index=safe.index, dtype=object)
    out = pd.DataFrame(index=safe.index)
    out["yearOfRegistration"] = safe.get("yearOfRegistration", blank)
    out["gender"] = per_distinct(safe.get("gender", blank),
                                 lambda g: CTDC_GENDER.get(str(g), str(g)))
    out["ageBroad"] = safe.get("ageBroad", blank)
    out["citizenship"] = safe.get("citizenship", blank)
    means = _sets(safe.get("vic_MethodsOfControl", blank))
    for value, column in CTDC_MEANS.items():
        out[column] = per_distinct(means, lambda m, v=value: "1" if v in m else "")
    out[RESTRICTS_MOVEMENT] = ""
    types = _sets(safe.get("vic_TypeOfExploitation", blank))
    out["isForcedLabour"] = per_distinct(types, lambda t: "1" if "ForcedLabour" in t else "")
    out["isSexualExploit"] = per_distinct(types, lambda t: "1" if "SexualExploitation" in t
                                          else "")
    out["isOtherExploit"] = per_distinct(
        types, lambda t: "1" if set(t) - {"ForcedLabour", "SexualExploitation"} else "")
    out["CountryOfExploitation"] = safe.get("CountryOfExploitation", blank)
    return out.reset_index(drop=True)
