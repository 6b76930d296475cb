"""htcds-learn: learn IOM's Human Trafficking Case Data Standard (HTCDS) with synthetic data.

The front door for lessons and exercises: everything a notebook needs is importable from here.

>>> import htcds_learn as hl
>>> hl.field("con_Consent").core
True
>>> hl.HTCDS_VERSION
'2.0'
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

from ._version import __version__

HTCDS_VERSION = "2.0"

# Where each name the front door offers comes from. A name's module is imported the first
# time the name is used (PEP 562), not when the package is: nbgrader loads the course's
# grading steps (htcds_learn.course) in every command, and should not pay a second for
# pandas, numpy, Faker and matplotlib it never uses. The imports under TYPE_CHECKING below
# say the same for type checkers and editors; a test checks that the two agree.
_FROM: dict[str, tuple[str, str]] = {}


def _offer(module: str, *names: str, **renamed: str) -> None:
    for name in names:
        _FROM[name] = (module, name)
    for name, original in renamed.items():
        _FROM[name] = (module, original)


_offer("._util.dates", "age_in_years")
_offer("._util.frames", "as_text")
_offer(".errors", "HtcdsLearnError", "UnknownFieldError", "UnknownSectionError",
       "UnknownValueError")
_offer(".io", "read_cases", "read_table", "write_survey_export", "write_template")
_offer(".learn.display", "show")
_offer(".learn.exercise_check", "check_exercise")
_offer(".learn.glossary", "glossary")
_offer(".learn.governance", "BREACH_STEPS", "breach_steps", "consent_roles", "document_template",
       "donor_counts", "missing_sections", "worked_dpia_risks")
_offer(".learn.plots", "age_pyramid", "consent_decision_tree", "data_model_picture",
       "exploitation_types", "fields_per_section", "findings_by_field", "key_stays_here", "routes",
       "suppression_cost", "trafficking_elements", class_size_plot="class_sizes",
       equivalence_classes_picture="equivalence_classes",
       suppressed_table_picture="suppressed_table")
_offer(".learn.progress", "ProgressRecord")
_offer(".learn.widgets", "check", "field_explorer", "lesson_complete", "progress_summary",
       "validation_explorer")
_offer(".learn.workspace", "my_files")
_offer(".model", "ENTITIES", "RELATIONS", "mermaid_diagram")
_offer(".model.schema", "example_case", "json_schema", "schema_errors", "table_schema",
       "table_schemas")
_offer(".privacy", "CONSENT_CHECKLIST", "PURPOSES", "age_band", "class_sizes", "k_and_l",
       "k_anonymity", "l_diversity", "minimise", "new_key", "protect_table", "pseudonym",
       "pseudonymise", "redact", "scan_text", "share", "statistics_table", "suppress_small_cells",
       "suppress_to_k", "to_ctdc", "with_consent", field_role="role", field_roles="roles_table")
_offer(".standard", "ATTRIBUTION", "core_fields", "core_template_columns", "field", "fields",
       "fields_table", "get_section", "search", "sections", "template_columns", "value_label",
       "value_name")
_offer(".standard.codes", "countries", "country_name", "is_country_code", "is_language_code",
       "languages")
_offer(".standard.defects", "DEFECTS", "defects_table")
_offer(".synth", "CaseGenerator", "course_dataset", "generate_cases", "generate_core",
       "generate_tables")
_offer(".validation", "ValidationReport", "fix_table", "validate_cases", "validate_table")
_offer(".validation.flaws", "inject_flaws")
_offer(".validation.rules", "rules_table")

__all__ = [
    "class_size_plot", "consent_decision_tree", "data_model_picture",
    "equivalence_classes_picture", "key_stays_here", "suppressed_table_picture",
    "suppression_cost", "trafficking_elements",
    "BREACH_STEPS", "breach_steps", "consent_roles", "document_template", "donor_counts",
    "missing_sections", "worked_dpia_risks",
    "CONSENT_CHECKLIST", "PURPOSES", "age_band", "class_sizes", "field_role", "field_roles",
    "k_and_l", "k_anonymity", "l_diversity", "minimise", "new_key", "pseudonym", "pseudonymise",
    "protect_table", "redact", "scan_text", "share", "statistics_table", "suppress_small_cells",
    "suppress_to_k", "to_ctdc",
    "with_consent",
    "ValidationReport", "as_text", "findings_by_field", "fix_table", "inject_flaws", "read_cases",
    "read_table", "rules_table", "validate_cases", "validate_table", "validation_explorer",
    "template_columns", "write_survey_export", "write_template",
    "CaseGenerator", "age_in_years", "age_pyramid", "course_dataset", "exploitation_types",
    "generate_cases", "generate_core", "generate_tables", "routes",
    "ATTRIBUTION", "DEFECTS", "ENTITIES", "HTCDS_VERSION", "HtcdsLearnError", "ProgressRecord",
    "RELATIONS", "UnknownFieldError", "UnknownSectionError", "UnknownValueError", "__version__",
    "check", "check_exercise", "glossary", "my_files", "show",
    "core_fields", "core_template_columns", "countries", "country_name",
    "defects_table", "example_case", "field", "field_explorer", "fields", "fields_per_section",
    "fields_table", "get_section", "is_country_code", "is_language_code", "json_schema",
    "languages", "lesson_complete", "mermaid_diagram",
    "progress_summary", "schema_errors", "search", "sections",
    "table_schema", "table_schemas", "value_label", "value_name",
]


def __getattr__(name: str) -> Any:
    """A name of the front door, imported on first use (then kept here); or a subpackage."""
    if name in _FROM:
        module, attribute = _FROM[name]
        value = getattr(importlib.import_module(module, __name__), attribute)
    elif not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}"):
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_FROM))


if TYPE_CHECKING:
    from ._util.dates import age_in_years
    from ._util.frames import as_text
    from .errors import HtcdsLearnError, UnknownFieldError, UnknownSectionError, UnknownValueError
    from .io import read_cases, read_table, write_survey_export, write_template
    from .learn.display import show
    from .learn.exercise_check import check_exercise
    from .learn.glossary import glossary
    from .learn.governance import (
        BREACH_STEPS,
        breach_steps,
        consent_roles,
        document_template,
        donor_counts,
        missing_sections,
        worked_dpia_risks,
    )
    from .learn.plots import (
        age_pyramid,
        consent_decision_tree,
        data_model_picture,
        exploitation_types,
        fields_per_section,
        findings_by_field,
        key_stays_here,
        routes,
        suppression_cost,
        trafficking_elements,
    )
    from .learn.plots import class_sizes as class_size_plot
    from .learn.plots import equivalence_classes as equivalence_classes_picture
    from .learn.plots import suppressed_table as suppressed_table_picture
    from .learn.progress import ProgressRecord
    from .learn.widgets import (
        check,
        field_explorer,
        lesson_complete,
        progress_summary,
        validation_explorer,
    )
    from .learn.workspace import my_files
    from .model import ENTITIES, RELATIONS, mermaid_diagram
    from .model.schema import example_case, json_schema, schema_errors, table_schema, table_schemas
    from .privacy import (
        CONSENT_CHECKLIST,
        PURPOSES,
        age_band,
        class_sizes,
        k_and_l,
        k_anonymity,
        l_diversity,
        minimise,
        new_key,
        protect_table,
        pseudonym,
        pseudonymise,
        redact,
        scan_text,
        share,
        statistics_table,
        suppress_small_cells,
        suppress_to_k,
        to_ctdc,
        with_consent,
    )
    from .privacy import role as field_role
    from .privacy import roles_table as field_roles
    from .standard import (
        ATTRIBUTION,
        core_fields,
        core_template_columns,
        field,
        fields,
        fields_table,
        get_section,
        search,
        sections,
        template_columns,
        value_label,
        value_name,
    )
    from .standard.codes import (
        countries,
        country_name,
        is_country_code,
        is_language_code,
        languages,
    )
    from .standard.defects import DEFECTS, defects_table
    from .synth import (
        CaseGenerator,
        course_dataset,
        generate_cases,
        generate_core,
        generate_tables,
    )
    from .validation import ValidationReport, fix_table, validate_cases, validate_table
    from .validation.flaws import inject_flaws
    from .validation.rules import rules_table
