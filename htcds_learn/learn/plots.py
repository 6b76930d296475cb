"""Pictures for the lessons (matplotlib). Each returns a Figure with a title and labelled axes.

>>> figure = fields_per_section()
>>> figure.axes[0].get_title()
'How many fields each HTCDS section has'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import standard

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CORE_COLOUR = "#1f6f8b"  # colour-blind-safe pair (blue / orange)
EXTENDED_COLOUR = "#e69f00"


def fields_per_section() -> Figure:
    """A bar per section: its Core fields and its Extended (optional) fields."""
    from matplotlib.figure import Figure

    chosen = standard.sections(with_fields_only=True)
    names = [s.name for s in chosen][::-1]
    core = [sum(f.core for f in standard.fields(s.name)) for s in chosen][::-1]
    extended = [sum(not f.core for f in standard.fields(s.name)) for s in chosen][::-1]
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    axes = figure.subplots()
    axes.barh(names, core, color=CORE_COLOUR, label="Core")
    axes.barh(names, extended, left=core, color=EXTENDED_COLOUR, label="Extended (optional)")
    for y, (c, x) in enumerate(zip(core, extended)):
        axes.text(c + x + 0.3, y, str(c + x), va="center")
    axes.set_title("How many fields each HTCDS section has")
    axes.set_xlabel("Number of active fields (deprecated fields left out)")
    axes.set_ylabel("Section")
    axes.legend(loc="lower right")
    return figure


FEMALE_COLOUR = "#cc79a7"
MALE_COLOUR = "#0072b2"


def age_pyramid(core: pd.DataFrame, *, band: int = 5) -> Figure:
    """Ages at registration in bands: women and girls to the left, men and boys to the right."""
    import numpy as np
    from matplotlib.figure import Figure

    from .._util.dates import age_in_years

    ages = age_in_years(core["prs_Birthdate"], core["cas_IncomingReferralDate"])
    edges = np.arange(0, max(int(ages.max()) + band, band * 2), band)
    female = core["prs_Gender"].isin(["Feminine", "TransgenderFeminine"])
    male = core["prs_Gender"].isin(["Masculine", "TransgenderMasculine"])
    f_counts, _ = np.histogram(ages[female], bins=edges)
    m_counts, _ = np.histogram(ages[male], bins=edges)
    labels = [f"{a}-{a + band - 1}" for a in edges[:-1]]
    figure = Figure(figsize=(7, 5), layout="constrained")
    axes = figure.subplots()
    axes.barh(labels, -f_counts, color=FEMALE_COLOUR, label="Female (Feminine)")
    axes.barh(labels, m_counts, color=MALE_COLOUR, label="Male (Masculine)")
    axes.axvline(0, color="black", linewidth=0.8)
    limit = max(f_counts.max(initial=1), m_counts.max(initial=1))
    axes.set_xlim(-limit * 1.1, limit * 1.1)
    axes.set_xticks(axes.get_xticks())
    axes.set_xticklabels([str(abs(int(t))) for t in axes.get_xticks()])
    axes.set_title("Age when the case was registered (synthetic cases)")
    axes.set_xlabel("Number of people")
    axes.set_ylabel("Age in years")
    axes.legend(loc="upper right")
    return figure


def exploitation_types(victims: pd.DataFrame) -> Figure:
    """How often each type of exploitation is recorded (a person can have more than one)."""
    from matplotlib.figure import Figure

    counts = (victims["vic_TypeOfExploitation"].str.split(";").explode()
              .map(lambda name: standard.value_label("vic_TypeOfExploitation", name))
              .value_counts(ascending=True))
    figure = Figure(figsize=(7, 4), layout="constrained")
    axes = figure.subplots()
    axes.barh(counts.index, counts.to_numpy(), color=CORE_COLOUR)
    axes.set_title("Types of exploitation recorded (synthetic cases)")
    axes.set_xlabel("Number of people")
    axes.set_ylabel("Type of exploitation")
    return figure


def routes(events: pd.DataFrame, *, top: int = 12) -> Figure:
    """The most common routes, from the country of recruitment to the country of exploitation."""
    from matplotlib.figure import Figure

    from ..standard.codes import country_name

    wide = events.pivot_table(index="case_id", columns="hte_Type", values="hte_Country",
                              aggfunc="first")
    pairs = wide["Recruitment"] + "|" + wide["Exploitation"]
    counts = pairs.value_counts().head(top)[::-1]
    labels = []
    for pair in counts.index:
        origin, destination = pair.split("|")
        labels.append(f"within {country_name(origin)}" if origin == destination
                      else f"{country_name(origin)} → {country_name(destination)}")
    colours = [EXTENDED_COLOUR if "within" in label else CORE_COLOUR for label in labels]
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    axes = figure.subplots()
    axes.barh(labels, counts.to_numpy(), color=colours)
    axes.set_title(f"The {top} most common routes (synthetic cases)")
    axes.set_xlabel("Number of cases")
    axes.set_ylabel("From the country of recruitment to the country of exploitation")
    return figure


def findings_by_field(report: Any, *, top: int = 12) -> Figure:
    """Which fields have the most problems, and of which kinds (a stacked bar per field)."""
    from matplotlib.figure import Figure

    from ..validation.rules import RULES

    findings = report.findings[report.findings["row"] > 0]
    figure = Figure(figsize=(10, 4.5), layout="constrained")
    axes = figure.subplots()
    if findings.empty:
        axes.text(0.5, 0.5, "No problems found", ha="center", va="center", fontsize=14)
        axes.set_axis_off()
        return figure
    labels = findings["field"].map(
        lambda name: standard.load().by_name[name].label if name in standard.load().by_name
        else name)
    counts = pd.crosstab(labels, findings["rule"])
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False).index[:top]][::-1]
    left = None
    from matplotlib import colormaps

    palette = colormaps["tab20"].colors  # up to 20 distinct kinds of problem
    for i, rule in enumerate(counts.columns):
        axes.barh(counts.index, counts[rule], left=left, color=palette[i % len(palette)],
                  label=RULES[rule].title)
        left = counts[rule] if left is None else left + counts[rule]
    axes.set_title("Problems found, by field and kind")
    axes.set_xlabel("Number of findings")
    axes.set_ylabel("Field")
    axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
    return figure


def class_sizes(sizes: pd.Series, *, k: int = 11) -> Figure:
    """How many records sit in equivalence classes of each size; classes below k are at risk."""
    import numpy as np
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4), layout="constrained")
    axes = figure.subplots()
    values = np.asarray(sizes)
    edges = np.arange(1, max(int(values.max(initial=1)), k) + 2)
    counts, _ = np.histogram(values, bins=edges)
    colours = [EXTENDED_COLOUR if size < k else CORE_COLOUR for size in edges[:-1]]
    axes.bar(edges[:-1], counts, width=0.9, color=colours)
    axes.axvline(k - 0.5, color="black", linestyle="--")
    axes.text(k - 0.4, max(counts.max(initial=1), 1) * 0.9, f"k = {k}", va="top")
    axes.set_title("Records by the size of their group of look-alikes")
    axes.set_xlabel("Records sharing the same quasi-identifiers (class size)")
    axes.set_ylabel("Number of records")
    return figure


def suppression_cost(report: Any) -> Figure:
    """What a release gave up: values blanked per column, and records removed."""
    from matplotlib.figure import Figure

    blanked = {column: count for column, count in report.blanked.items()}
    labels = [*blanked, "records removed", "no consent"]
    values = [*blanked.values(), report.rows_suppressed, report.rows_without_consent]
    figure = Figure(figsize=(8, 4), layout="constrained")
    axes = figure.subplots()
    axes.barh(labels[::-1], values[::-1],
              color=[EXTENDED_COLOUR] * 2 + [CORE_COLOUR] * len(blanked))
    axes.set_title(f"What reaching k = {report.k_requested} cost")
    axes.set_xlabel("Number of values blanked, or of records left out")
    axes.set_ylabel("")
    return figure
