"""Matplotlib figures to PNG and SVG files, each figure laid out once and drawn once per format.

What this saves, measured on the demo (``python -m benchmarks plots``): a figure is made at the
PNG's resolution on an Agg canvas of its own, so the constrained layout measures every text with
the renderer that then draws the PNG (matplotlib keeps text sizes per renderer); after the
layout the figure has no layout engine at all, because ``savefig`` draws a figure that has one,
even a "none" placeholder, once more without output before drawing it for the file.
"""

from __future__ import annotations

import io
from pathlib import Path

from focuscode.export.files import atomic_path

DPI = 150  # the PNG's; SVG is drawn in points, with its images at this resolution
FORMATS = ("png", "svg")
_NO_LAYOUT = {"figure.autolayout": False, "figure.constrained_layout.use": False}


def new_figure(width: float, height: float):  # noqa: ANN201 - a matplotlib Figure
    """A figure of ``width`` x ``height`` inches with constrained layout, on an Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def freeze_layout(figure):  # noqa: ANN001, ANN201 - a matplotlib Figure, returned
    """Lay the figure out once and keep that layout: no engine left to run again (or to make
    ``savefig`` draw the figure an extra time) for each format it is saved in."""
    import matplotlib
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = figure.get_layout_engine()
    if engine is None:
        return figure
    if not isinstance(engine, PlaceHolderLayoutEngine):
        engine.execute(figure)
    with matplotlib.rc_context(_NO_LAYOUT):  # None means "as rcParams say": say none
        figure.set_layout_engine(None)
    return figure


def figure_bytes(figure, fmt: str) -> bytes:  # noqa: ANN001
    """PNG (``DPI``) or SVG (no timestamp and stable ids, so repeated exports are identical)."""
    import matplotlib

    freeze_layout(figure)
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": "focuscode"}
    with matplotlib.rc_context({"svg.hashsalt": "focuscode"}):  # restored after
        figure.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata,
                       **({"pil_kwargs": {"compress_level": 2}} if fmt == "png" else {}))
    return buffer.getvalue()


def write_figure(figure, stem: Path) -> list[Path]:  # noqa: ANN001
    """``stem``.png and ``stem``.svg, each written atomically."""
    paths = []
    for fmt in FORMATS:
        path = stem.with_suffix(f".{fmt}")
        content = figure_bytes(figure, fmt)
        with atomic_path(path) as temporary:
            temporary.write_bytes(content)
        paths.append(path)
    return paths
