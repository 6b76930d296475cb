"""Share what an organisation knows without exposing the people in it.

Safe sharing as small modules with one job each:

* :mod:`.threats`: who might try to find a person, and what they know;
* :mod:`.policy`: purposes as complete release policies (referral, service statistics,
  research, CTDC), each a named sequence of :mod:`.steps`;
* :mod:`.release`: :func:`share` runs a purpose and returns a release that checked itself,
  written whole into a new folder; :mod:`.report` explains it; :mod:`.ledger` remembers
  what went to whom and refuses releases that can be subtracted from earlier ones;
* :mod:`.roles`, :mod:`.consent`: privacy roles of fields, consent and consent to refer;
* :mod:`.canonical`, :mod:`.columns`, :mod:`.generalise`, :mod:`.recode`: what a column may
  hold, and how it is coarsened;
* :mod:`.risk`, :mod:`.suppression`: k and l, measured exactly, and reached by blanking;
* :mod:`.cells`: small-cell suppression audited by linear programming;
* :mod:`.keys`, :mod:`.pseudonyms`, :mod:`.text`: keys, salted pseudonyms, free-text scanning;
* :mod:`.ctdc`: CTDC's public layout.

>>> import htcds_learn as hl
>>> release = share(hl.generate_core(300, seed=1), purpose="service-statistics")
>>> release.report.rows_without_consent > 0, release.table is None
(True, True)
"""

from __future__ import annotations

from .canonical import RARE_COMBINATION, canonical_column, group_rare, member_flags
from .cells import ProtectedTable, feasible_intervals, protect_table, suppress_small_cells
from .consent import (
    CONSENT_CHECKLIST,
    REFERRAL_CONSENT,
    with_consent,
    with_consent_to_refer,
)
from .ctdc import CTDC_MEANS, to_ctdc
from .errors import SharingError
from .generalise import (
    CTDC_AGE_BANDS,
    age_band,
    generalise_countries,
    lump_rare,
    un_regions,
    year_of,
)
from .keys import check_key, load_key, new_key, save_key
from .ledger import Ledger
from .policy import PURPOSES, Purpose, minimise, register
from .pseudonyms import new_salt, pseudonym, pseudonymise
from .release import Release, share, statistics_table
from .report import DSA_CHECKLIST, ReleaseReport
from .risk import class_ids, class_sizes, k_and_l, k_anonymity, l_diversity, records_at_risk
from .roles import DIRECT, FREE_TEXT, OTHER, QUASI, SENSITIVE, role, roles_table
from .suppression import suppress_to_k
from .text import redact, redact_text, scan_text
from .threats import ADVERSARIES, PARTNER, PERPETRATOR, PUBLIC

__all__ = [
    "ADVERSARIES", "CONSENT_CHECKLIST", "CTDC_AGE_BANDS", "CTDC_MEANS", "DIRECT",
    "DSA_CHECKLIST", "FREE_TEXT", "Ledger", "OTHER", "PARTNER", "PERPETRATOR", "PUBLIC",
    "PURPOSES", "ProtectedTable", "Purpose", "QUASI", "RARE_COMBINATION", "REFERRAL_CONSENT",
    "Release", "ReleaseReport", "SENSITIVE", "SharingError", "age_band", "canonical_column",
    "check_key", "class_ids", "class_sizes", "feasible_intervals", "generalise_countries",
    "group_rare", "k_and_l", "k_anonymity", "l_diversity", "load_key", "lump_rare",
    "member_flags", "minimise", "new_key", "new_salt", "protect_table", "pseudonym",
    "pseudonymise", "records_at_risk", "redact", "redact_text", "register", "role",
    "roles_table", "save_key", "scan_text", "share", "statistics_table",
    "suppress_small_cells", "suppress_to_k", "to_ctdc", "un_regions", "with_consent",
    "with_consent_to_refer", "year_of",
]
