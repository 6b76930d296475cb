"""htcds-learn: learn IOM's Human Trafficking Case Data Standard (HTCDS) with synthetic data.

The front door for lessons and exercises: everything a notebook needs is importable from here.

>>> import htcds_learn as hl
>>> hl.field("con_Consent").core
True
>>> hl.HTCDS_VERSION
'2.0'
"""

from __future__ import annotations

from ._util.dates import age_in_years
from ._util.frames import as_text
from ._version import __version__
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
from .standard.codes import countries, country_name, is_country_code, is_language_code, languages
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

HTCDS_VERSION = "2.0"

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
