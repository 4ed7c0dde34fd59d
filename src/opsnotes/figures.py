"""Figures for the lab notebooks: inline SVG with a text alternative.

A PNG is a fixed 250 px picture on a phone, with labels in whatever font the build machine
had. An SVG whose text stays text (``svg.fonttype: none``) scales to the screen, and the
reader's browser draws the labels with its own fonts, Chinese included. Not used by the
calculators: matplotlib and IPython are imported only when a lab calls ``show``.
"""

from __future__ import annotations

import base64
import html
import io
import logging
import warnings

# Layout is measured with the first of these the machine has; the browser draws the text.
FONTS = ["DejaVu Sans", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "sans-serif"]


def show(fig, alt: str) -> None:
    """Display ``fig`` as an SVG picture that fits the page's width, with ``alt`` for screen
    readers (a notebook's own PNG says "No description has been provided for this image")."""
    import matplotlib.pyplot as plt
    from IPython.display import HTML, display

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)  # shown once, here, not again by the inline backend
    data = base64.b64encode(buf.getvalue().encode()).decode()
    display(HTML(f'<img class="opsnotes-figure" alt="{html.escape(alt)}" '
                 f'src="data:image/svg+xml;base64,{data}">'))


def setup() -> None:
    """Text as text in the SVG, and no font warnings in the page when a CJK font is absent."""
    import matplotlib

    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["font.family"] = FONTS
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
