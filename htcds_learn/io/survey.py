"""Survey exports: a CSV from IOM's XLSForm as KoBoToolbox or ODK writes it.

Survey field names (``prs_First_Name``), group prefixes (``intake/``), metadata columns
(``_uuid``, ``start``) and space-separated multiple choices: the readers undo them all, and
:func:`write_survey_export` makes such a file from synthetic cases, for practice.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from .. import messages, standard
from .._util.frames import as_text

if TYPE_CHECKING:
    import pandas as pd

    from .loaded import LoadedTable

# The official XLSForm's names that differ from the standard's (defect D10).
SURVEY_NAMES = {
    "prs_First_Name": "prs_FirstName",
    "prs_Second_Name": "prs_SecondName",
    "vic_Methods_of_Control": "vic_MethodsOfControl",
}
SURVEY_METADATA = {"start", "end", "today", "deviceid", "username", "simserial",
                   "subscriberid", "phonenumber", "audit", "__version__", "instanceID",
                   "instanceName", "_id", "_uuid", "_submission_time", "_validation_status",
                   "_notes", "_status", "_submitted_by", "_tags", "_index", "_version_",
                   "_xform_id_string", "_attachments", "_geolocation", "formhub/uuid",
                   "meta/instanceID", "meta/rootUuid", "meta/deprecatedID", "KEY",
                   "SubmissionDate", "SubmitterID", "SubmitterName", "AttachmentsPresent",
                   "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits",
                   "FormVersion"}
MULTIPLE_CHOICE_KINDS = ("multiselect", "country_list")


def undo_survey_export(loaded: LoadedTable) -> None:
    """KoBoToolbox and ODK: drop metadata columns; space-separated choices become ';'."""
    table = loaded.table
    metadata = [c for c in table.columns if c in SURVEY_METADATA or c.startswith("_")]
    if not metadata:
        return
    loaded.kind = "survey-export"
    loaded.dropped = metadata
    loaded.table = table = table.drop(columns=metadata)
    loaded.notes.append(messages.text("io.survey.dropped", count=len(metadata)))
    for column in table.columns:
        f = standard.load().by_name.get(column)
        if f is not None and f.kind in MULTIPLE_CHOICE_KINDS:
            table[column] = table[column].map(lambda v: ";".join(v.split()) if v else v)


def write_survey_export(core: pd.DataFrame, path: str | PathLike[str], *, seed: int = 0,
                        force: bool = False) -> Path:
    """Write a Core table as a KoBoToolbox-style CSV export of IOM's XLSForm, for practice.

    Survey field names (prs_First_Name ...), a group prefix, metadata columns, ';' between
    cells and spaces between multiple choices: what read_table has to undo. Refuses to
    replace an existing file unless ``force=True``.
    """
    import numpy as np
    import pandas as pd

    from .writers import write_csv

    text = as_text(core, renumber=True)
    survey_name = {standard_name: survey for survey, standard_name in SURVEY_NAMES.items()}
    out = pd.DataFrame(index=text.index)
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-08 09:00") + pd.to_timedelta(
        rng.integers(0, 300 * 24 * 60, len(text)), unit="min")
    out["start"] = start.strftime("%Y-%m-%dT%H:%M:%S")
    out["end"] = (start + pd.Timedelta(minutes=25)).strftime("%Y-%m-%dT%H:%M:%S")
    for column in text.columns:
        if column in ("case_id", "person_id", "synthetic"):
            continue
        f = standard.load().by_name.get(column)
        values = text[column]
        if f is not None and f.kind in MULTIPLE_CHOICE_KINDS:
            values = values.str.replace(";", " ", regex=False)
        if column == "con_Consent":
            values = values.map({"True": "TRUE", "False": "FALSE"}).fillna("")
        name = survey_name.get(column, column)
        out[f"intake/{name}" if column.startswith("prs_") else name] = values
    out["_id"] = np.arange(1, len(text) + 1)
    out["_uuid"] = [f"synthetic-{i:06d}" for i in range(1, len(text) + 1)]
    out["_submission_time"] = out["end"]
    return write_csv(out, path, force=force, sep=";").path
