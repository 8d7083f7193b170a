"""Word documents: a landscape A4 page for wide tables (python-docx)."""

from __future__ import annotations

from focuscode.domain import ExportError


def landscape_document(*, margin_cm: float, font_pt: float, title: str):  # noqa: ANN201
    """A new ``docx.Document`` in landscape with the given margins, body font size and a
    level-1 heading ``title``."""
    try:
        import docx
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm, Pt
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise ExportError("DOCX export needs python-docx", hint="pip install python-docx") \
            from None
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(margin_cm))
    document.styles["Normal"].font.size = Pt(font_pt)
    document.add_heading(title, level=1)
    return document
