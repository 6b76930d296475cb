"""Pictures for the lessons (matplotlib), each with a title, labelled axes and alt text.

Every function returns a picture: a matplotlib Figure that shows itself as a PNG
image wherever a notebook is read (JupyterLab, an executed notebook, an HTML export), with a
sentence of alt text that says what the picture shows, for screen readers and for the text
view. Nothing needs ``%matplotlib inline``.

>>> figure = fields_per_section()
>>> figure.axes[0].get_title()
'How many fields each HTCDS section has'
>>> data, metadata = figure._repr_mimebundle_()
>>> sorted(data), data["text/plain"] == metadata["image/png"]["alt"]
(['image/png', 'text/plain'], True)
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import standard

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@lru_cache(maxsize=1)
def _picture_class() -> type:
    """The Picture class, made on first use so that importing the library stays fast."""
    from matplotlib.figure import Figure

    class Picture(Figure):
        """A matplotlib Figure that displays itself as a PNG with alt text in notebooks."""

        alt_text = ""

        def png(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100)
            return buffer.getvalue()

        def _repr_mimebundle_(self, include: Any = None, exclude: Any = None
                              ) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
            alt = self.alt_text or (self.axes[0].get_title() if self.axes else "A picture")
            return ({"image/png": base64.b64encode(self.png()).decode("ascii"),
                     "text/plain": alt}, {"image/png": {"alt": alt}})

    return Picture


def _picture(alt_text: str, **kwargs: Any) -> Figure:
    figure = _picture_class()(layout="constrained", **kwargs)
    figure.alt_text = alt_text
    return figure


def _blank_axes(figure: Figure, width: float, height: float) -> Any:
    """Axes without frame or ticks, ``width`` by ``height`` units, for a drawn diagram."""
    axes = figure.subplots()
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    axes.set_axis_off()
    return axes


CORE_COLOUR = "#1f6f8b"  # colour-blind-safe pair (blue / orange)
EXTENDED_COLOUR = "#e69f00"


def fields_per_section() -> Figure:
    """A bar per section: its Core fields and its Extended (optional) fields."""
    chosen = standard.sections(with_fields_only=True)
    names = [s.name for s in chosen][::-1]
    core = [sum(f.core for f in standard.fields(s.name)) for s in chosen][::-1]
    extended = [sum(not f.core for f in standard.fields(s.name)) for s in chosen][::-1]
    biggest = max(zip([c + x for c, x in zip(core, extended)], names))
    figure = _picture(
        f"Bar chart of the fields in each HTCDS section, Core in blue and Extended in orange. "
        f"{biggest[1]} is the biggest section, with {biggest[0]} fields; in all there are "
        f"{sum(core)} Core and {sum(extended)} Extended active fields.", figsize=(8, 4.5))
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

    from .._util.dates import age_in_years

    ages = age_in_years(core["prs_Birthdate"], core["cas_IncomingReferralDate"])
    edges = np.arange(0, max(int(ages.max()) + band, band * 2), band)
    female = core["prs_Gender"].isin(["Feminine", "TransgenderFeminine"])
    male = core["prs_Gender"].isin(["Masculine", "TransgenderMasculine"])
    f_counts, _ = np.histogram(ages[female], bins=edges)
    m_counts, _ = np.histogram(ages[male], bins=edges)
    labels = [f"{a}-{a + band - 1}" for a in edges[:-1]]
    children = int((ages < 18).sum())
    peak = labels[int(np.argmax(f_counts + m_counts))]
    figure = _picture(
        f"Age pyramid of {len(core)} synthetic people: {int(f_counts.sum())} female to the "
        f"left, {int(m_counts.sum())} male to the right. Most are aged {peak}; {children} are "
        "children (under 18).", figsize=(7, 5))
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
    counts = (victims["vic_TypeOfExploitation"].str.split(";").explode()
              .map(lambda name: standard.value_label("vic_TypeOfExploitation", name))
              .value_counts(ascending=True))
    ranked = counts[::-1]
    figure = _picture(
        f"Bar chart of the types of exploitation recorded for {len(victims)} people. The most "
        f"common are {ranked.index[0]} ({ranked.iloc[0]}) and {ranked.index[1]} "
        f"({ranked.iloc[1]}).", figsize=(7, 4))
    axes = figure.subplots()
    axes.barh(counts.index, counts.to_numpy(), color=CORE_COLOUR)
    axes.set_title("Types of exploitation recorded (synthetic cases)")
    axes.set_xlabel("Number of people")
    axes.set_ylabel("Type of exploitation")
    return figure


def routes(events: pd.DataFrame, *, top: int = 12) -> Figure:
    """The most common routes, from the country of recruitment to the country of exploitation."""
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
    within = sum("within" in label for label in labels)
    figure = _picture(
        f"Bar chart of the {top} most common routes. {within} of them stay within one country "
        f"(orange). The most common is {labels[-1]}, with {counts.iloc[-1]} cases.",
        figsize=(8, 4.5))
    axes = figure.subplots()
    axes.barh(labels, counts.to_numpy(), color=colours)
    axes.set_title(f"The {top} most common routes (synthetic cases)")
    axes.set_xlabel("Number of cases")
    axes.set_ylabel("From the country of recruitment to the country of exploitation")
    return figure


def findings_by_field(report: Any, *, top: int = 12) -> Figure:
    """Which fields have the most problems, and of which kinds (a stacked bar per field)."""
    from ..validation.rules import RULES

    findings = report.findings[report.findings["row"] > 0]
    if findings.empty:
        figure = _picture("No problems were found.", figsize=(10, 4.5))
        axes = figure.subplots()
        axes.text(0.5, 0.5, "No problems found", ha="center", va="center", fontsize=14)
        axes.set_axis_off()
        return figure
    labels = findings["field"].map(
        lambda name: standard.load().by_name[name].label if name in standard.load().by_name
        else name)
    counts = pd.crosstab(labels, findings["rule"])
    totals = counts.sum(axis=1).sort_values(ascending=False)
    counts = counts.loc[totals.index[:top]][::-1]
    figure = _picture(
        f"Stacked bar chart of {len(findings)} problems by field and kind. The fields with the "
        f"most problems are {totals.index[0]} ({totals.iloc[0]}) and "
        f"{totals.index[min(1, len(totals) - 1)]} ({totals.iloc[min(1, len(totals) - 1)]}).",
        figsize=(10, 4.5))
    axes = figure.subplots()
    left = None
    from matplotlib import colormaps

    tab20 = colormaps["tab20"]  # up to 20 distinct kinds of problem
    palette = [tab20(i) for i in range(tab20.N)]
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

    values = np.asarray(sizes)
    edges = np.arange(1, max(int(values.max(initial=1)), k) + 2)
    counts, _ = np.histogram(values, bins=edges)
    at_risk = int(counts[: k - 1].sum())
    figure = _picture(
        f"Bar chart of {int(counts.sum())} records by the size of their group of look-alikes. "
        f"{at_risk} records are in groups smaller than k = {k} (orange bars, left of the "
        "dashed line): they could be singled out.", figsize=(8, 4))
    axes = figure.subplots()
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
    blanked = {column: count for column, count in report.blanked.items()}
    labels = [*blanked, "records removed", "no consent"]
    values = [*blanked.values(), report.rows_suppressed, report.rows_without_consent]
    figure = _picture(
        f"Bar chart of what reaching k = {report.k_requested} cost: "
        + ", ".join(f"{label} {value}" for label, value in zip(labels, values)) + ".",
        figsize=(8, 4))
    axes = figure.subplots()
    axes.barh(labels[::-1], values[::-1],
              color=[EXTENDED_COLOUR] * 2 + [CORE_COLOUR] * len(blanked))
    axes.set_title(f"What reaching k = {report.k_requested} cost")
    axes.set_xlabel("Number of values blanked, or of records left out")
    axes.set_ylabel("")
    return figure


def _box(axes: Any, x: float, y: float, title: str, body: str = "", *, colour: str,
         width: float = 2.6, height: float = 1.0) -> None:
    """A rounded box centred on (x, y): a bold title and a few lines of plain text."""
    from matplotlib.patches import FancyBboxPatch

    axes.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                  boxstyle="round,pad=0.05", facecolor=colour,
                                  edgecolor="#333333", linewidth=1.2))
    text = f"$\\bf{{{title.replace(' ', '~')}}}$" + (f"\n{body}" if body else "")
    axes.text(x, y, text, ha="center", va="center", fontsize=10.5, linespacing=1.4)


def _arrow(axes: Any, start: tuple[float, float], end: tuple[float, float],
           label: str = "") -> None:
    axes.annotate("", xy=end, xytext=start,
                  arrowprops={"arrowstyle": "-|>", "color": "#333333", "linewidth": 1.2})
    if label:
        axes.text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 0.12, label,
                  ha="center", va="bottom", fontsize=9, style="italic")


def trafficking_elements() -> Figure:
    """The three elements of trafficking in the Palermo Protocol: act, means and purpose."""
    figure = _picture(
        "Three boxes joined by plus signs: an act (recruiting, transporting, transferring, "
        "harbouring or receiving a person), plus a means (threat, force, coercion, abduction, "
        "fraud, deception, abuse of power or vulnerability, payments), plus a purpose "
        "(exploitation), make trafficking. For a child, no means is needed.", figsize=(10, 3.6))
    axes = _blank_axes(figure, 12, 4.2)
    light_blue, light_orange, light_purple = "#d4e9f2", "#fbe3b3", "#ecd3e4"
    _box(axes, 1.9, 2.3, "ACT", "what is done:\nrecruiting, transporting,\ntransferring, "
         "harbouring\nor receiving a person", colour=light_blue, width=3.3, height=2.6)
    _box(axes, 6.0, 2.3, "MEANS", "how it is done:\nthreat, force, coercion,\nabduction, "
         "fraud, deception,\nabuse of power or vulnerability,\npayments",
         colour=light_orange, width=3.5, height=2.6)
    _box(axes, 10.1, 2.3, "PURPOSE", "why it is done:\nexploitation: sexual,\nforced labour, "
         "slavery,\nservitude, organ removal", colour=light_purple, width=3.3, height=2.6)
    for x in (3.85, 7.95):
        axes.text(x, 2.3, "+", ha="center", va="center", fontsize=26, weight="bold")
    axes.text(6.0, 0.55, "For a child (under 18), no means is needed: act + purpose is "
              "enough.", ha="center", fontsize=10, style="italic")
    axes.set_title("Trafficking in persons = act + means + purpose (Palermo Protocol, "
                   "Article 3)", fontsize=12)
    return figure


def data_model_picture() -> Figure:
    """How the records of a case link: a person joins a case through a victim or perpetrator
    context, and a case has referrals, events, support plans, comments and consent."""
    figure = _picture(
        "Diagram: a Person box on the left links to a Case box on the right through a Victim "
        "context box (for a survivor) or a Perpetrator context box (for a suspect). Below the "
        "Case box, one case has many referrals, trafficking events, support plans, case "
        "comments and consent records. case_id and person_id, added by this course, make the "
        "links.", figsize=(10, 5.2))
    axes = figure.subplots()
    axes.set_xlim(0, 12)
    axes.set_ylim(-0.2, 6.4)
    axes.set_axis_off()
    person, context, case, part = "#d4e9f2", "#fbe3b3", "#cfe8cf", "#eeeeee"
    _box(axes, 1.6, 4.6, "Person", "prs_ fields\nperson_id", colour=person, width=2.6,
         height=1.3)
    _box(axes, 6.0, 5.5, "Victim context", "vic_ fields\ncase_id + person_id",
         colour=context, width=3.0, height=1.1)
    _box(axes, 6.0, 3.7, "Perpetrator context", "per_ fields\ncase_id + person_id",
         colour=context, width=3.0, height=1.1)
    _box(axes, 10.4, 4.6, "Case", "cas_ fields\ncase_id", colour=case, width=2.4, height=1.3)
    _arrow(axes, (2.9, 4.9), (4.5, 5.4), "a survivor")
    _arrow(axes, (2.9, 4.3), (4.5, 3.8), "a suspect")
    _arrow(axes, (7.5, 5.4), (9.2, 4.9))
    _arrow(axes, (7.5, 3.8), (9.2, 4.3))
    parts = [("Referrals", "cas_ referral\nfields"), ("Trafficking\nevents", "hte_ fields"),
             ("Support\nplans", "spl_ fields"), ("Case\ncomments", "cco_ fields"),
             ("Consent", "con_ fields")]
    for i, (title, body) in enumerate(parts):
        x = 1.3 + i * 2.35
        axes.text(x, 1.1, title + "\n" + body, ha="center", va="center", fontsize=9.5,
                  bbox={"boxstyle": "round,pad=0.4", "facecolor": part, "edgecolor": "#666"})
        _arrow(axes, (10.4, 3.9), (x, 1.75))
    axes.text(6.0, 0.15, "one case has many of each (each row carries its case_id)",
              ha="center", fontsize=9.5, style="italic")
    axes.set_title("How the records of a case link (HTCDS fields; the ids are this course's)",
                   fontsize=12)
    return figure


def consent_decision_tree() -> Figure:
    """Who agrees to what for a child: assent, a guardian's consent, or an appointed guardian.

    For lesson 05. It follows the course's sources (CRC Arts 3 and 12; UNICEF 2006): national
    law and the child's maturity decide the details, so the picture says so.
    """
    figure = _picture(
        "Decision tree. Is the person under 18, or could they be? If no: the person's own "
        "informed consent. If yes: ask the child's assent (their own willingness), and ask "
        "whether the parent or guardian may be involved in the exploitation or asking them "
        "is against the child's interests. If no: assent plus the guardian's consent. If yes: "
        "assent plus the consent of an appointed guardian or another trusted adult. In every "
        "case, act in the child's best interests and follow national law.", figsize=(10, 5.4))
    axes = _blank_axes(figure, 12, 6.6)
    question, answer = "#fbe3b3", "#d4e9f2"
    _box(axes, 6.0, 5.8, "Under 18, or could be?", "(if in doubt, treat as a child)",
         colour=question, width=4.2, height=0.9)
    _box(axes, 2.0, 3.9, "Own consent", "informed, free,\nand can be withdrawn",
         colour=answer, width=3.0, height=1.2)
    _box(axes, 8.0, 3.9, "Ask the child's assent", "and: may the parent or guardian be\n"
         "involved, or is asking them harmful?", colour=question, width=4.6, height=1.2)
    _box(axes, 5.5, 1.5, "Assent + guardian's consent", "", colour=answer, width=3.9, height=0.8)
    _box(axes, 10.0, 1.5, "Assent + consent of an", "appointed guardian\nor trusted adult",
         colour=answer, width=3.4, height=1.2)
    _arrow(axes, (4.9, 5.5), (2.6, 4.55), "no")
    _arrow(axes, (7.1, 5.35), (7.9, 4.55), "yes")
    _arrow(axes, (7.4, 3.25), (5.9, 1.95), "no")
    _arrow(axes, (8.8, 3.25), (9.7, 2.15), "yes")
    axes.text(6.0, 0.35, "Always: the child's best interests come first (CRC Art. 3), their "
              "views count by age and maturity (Art. 12), and national law decides the ages.",
              ha="center", fontsize=9.5, style="italic")
    axes.set_title("Who agrees for a child?", fontsize=12)
    return figure


def key_stays_here() -> Figure:
    """The key stays with the organisation; only the pseudonymised sheet goes to the partner."""
    figure = _picture(
        "Two sides. On the left, your organisation keeps the secret key and the full records "
        "with names. An arrow labelled 'the sheet goes' carries only the pseudonymised sheet "
        "(codes instead of names) to the partner on the right. The key never travels with "
        "it: not in the same e-mail, not in the same folder.", figsize=(10, 4.2))
    axes = _blank_axes(figure, 12, 5)
    from matplotlib.patches import Rectangle

    axes.add_patch(Rectangle((0.2, 0.4), 5.0, 4.0, facecolor="#eef6f9", edgecolor="#1f6f8b"))
    axes.add_patch(Rectangle((7.0, 0.4), 4.8, 4.0, facecolor="#fdf3e1", edgecolor="#e69f00"))
    axes.text(2.7, 4.1, "Your organisation", ha="center", fontsize=11, weight="bold")
    axes.text(9.4, 4.1, "The partner", ha="center", fontsize=11, weight="bold")
    _box(axes, 1.6, 2.6, "The key", "secret: stays here,\nwith few people",
         colour="#cfe8cf", width=2.3, height=1.2)
    _box(axes, 3.9, 1.3, "Full records", "names, phones", colour="#ffffff", width=2.2,
         height=0.9)
    _box(axes, 9.4, 2.2, "The sheet", "P-7f3a… open\nP-19c2… needs lawyer",
         colour="#ffffff", width=3.2, height=1.3)
    _arrow(axes, (5.2, 2.2), (7.7, 2.2), "the sheet goes")
    axes.text(6.1, 0.9, "the key never goes:\nnot in the same e-mail\nor folder", ha="center",
              fontsize=9.5, color="#8a3c00", style="italic")
    axes.set_title("The key stays here; the sheet goes there", fontsize=12)
    return figure


def equivalence_classes(table: pd.DataFrame, quasi_identifiers: list[str], *,
                        k: int = 3) -> Figure:
    """A small table with its rows coloured by equivalence class (rows that look alike on the
    quasi-identifiers), and each class's size; classes smaller than ``k`` marked.

    Meant for a toy table of about 12 rows (lesson 07).

    >>> toy = pd.DataFrame({"gender": ["Woman", "Woman", "Man"], "age": ["18-25"] * 3})
    >>> equivalence_classes(toy, ["gender", "age"], k=2).alt_text.split(".")[0]
    'Table of 3 rows coloured by group of look-alikes on gender and age'
    """
    keys = table[quasi_identifiers].astype(str).agg(" | ".join, axis=1)
    sizes = keys.map(keys.value_counts())
    order = list(dict.fromkeys(keys))
    palette = ["#d4e9f2", "#fbe3b3", "#ecd3e4", "#cfe8cf", "#e0e0f5", "#f5e0d6", "#e9f0c9"]
    small = int((sizes < k).sum())
    figure = _picture(
        f"Table of {len(table)} rows coloured by group of look-alikes on "
        f"{' and '.join(quasi_identifiers)}. There are {len(order)} groups; {small} rows "
        f"are in groups smaller than k = {k} (marked 'at risk').",
        figsize=(min(2.0 + 1.8 * (len(table.columns) + 1), 12), 0.5 + 0.42 * len(table)))
    axes = figure.subplots()
    axes.set_axis_off()
    cells = [[*map(str, row), f"{size}" + ("  at risk" if size < k else "")]
             for row, size in zip(table.itertuples(index=False), sizes)]
    colours = [[palette[order.index(key) % len(palette)]] * (len(table.columns) + 1)
               for key in keys]
    shown = axes.table(cellText=cells, cellColours=colours,
                       colLabels=[*map(str, table.columns), "group size"], loc="center",
                       cellLoc="left")
    shown.auto_set_font_size(False)
    shown.set_fontsize(10)
    shown.scale(1, 1.3)
    axes.set_title(f"Rows that look alike on {', '.join(quasi_identifiers)} share a colour",
                   fontsize=12)
    return figure


def suppressed_table(published: pd.DataFrame, hidden: pd.DataFrame) -> Figure:
    """A published table with its hidden cells highlighted: hidden because small (primary)
    or hidden to protect another (secondary). ``hidden`` is True where a cell is hidden, or
    says why ("primary", "secondary", "" as in :attr:`ProtectedTable.reason`): then a small
    count is red and a cell hidden to protect it orange.

    >>> counts = pd.DataFrame({"Woman": [25, 3], "Man": [40, 12]}, index=["X", "Y"])
    >>> hide = pd.DataFrame({"Woman": [False, True], "Man": [False, True]}, index=["X", "Y"])
    >>> suppressed_table(counts.mask(hide), hide).alt_text.split(".")[0]
    'A table of 2 rows and 2 columns with 2 hidden cells highlighted'
    >>> why = pd.DataFrame({"Woman": ["", "primary"], "Man": ["", "secondary"]}, index=["X", "Y"])
    >>> suppressed_table(counts.mask(why != ""), why).alt_text.split(". ")[1].split(";")[0]
    "A small count hidden shows as 'hidden' in red, a cell hidden to protect it in orange"
    """
    reasons = hidden.dtypes.eq(object).all() and len(hidden.columns) > 0
    mask = (hidden != "") if reasons else hidden.astype(bool)
    count = int(mask.to_numpy().sum())
    colour = {"primary": "#f4a3a3", "secondary": "#f3c27a", True: "#f3c27a"}
    legend = ("A small count hidden shows as 'hidden' in red, a cell hidden to protect it in "
              "orange" if reasons else "A hidden cell shows as 'hidden' in orange")
    figure = _picture(
        f"A table of {len(published)} rows and {len(published.columns)} columns with "
        f"{count} hidden cells highlighted. {legend}; the others show their counts.",
        figsize=(max(5.5, min(2.5 + 1.6 * len(published.columns), 12)),  # 5.5: the title
                 0.6 + 0.42 * len(published)))
    axes = figure.subplots()
    axes.set_axis_off()
    text = [["hidden" if mask.iloc[r, c] else f"{int(published.iloc[r, c])}"
             for c in range(len(published.columns))] for r in range(len(published))]
    colours = [[colour.get(hidden.iloc[r, c] if reasons else True, "#f3c27a")
                if mask.iloc[r, c] else "#ffffff"
                for c in range(len(published.columns))] for r in range(len(published))]
    shown = axes.table(cellText=text, cellColours=colours, rowLabels=[*map(str, published.index)],
                       colLabels=[*map(str, published.columns)], loc="center",
                       cellLoc="center")
    shown.auto_set_font_size(False)
    shown.set_fontsize(10)
    shown.scale(1, 1.3)
    # Two lines: on one, the title ran past the right edge of a table of 3 columns.
    axes.set_title("The published table: small counts hidden in red,\ncells hidden to "
                   "protect them in orange" if reasons else
                   "The published table: hidden cells in orange", fontsize=12)
    return figure
