"""Pictures for the lessons (matplotlib). Each returns a Figure with a title and labelled axes.

>>> figure = fields_per_section()
>>> figure.axes[0].get_title()
'How many fields each HTCDS section has'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import standard

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
