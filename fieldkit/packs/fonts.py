"""The PDF's fonts: DejaVu Sans shipped in resources/fonts, embedded in every PDF.

reportlab's built-in Helvetica knows only Latin-1, so "Łódź" would print as boxes; a TrueType
font registered with reportlab is subset and embedded, so a partner's PDF reader shows every
name exactly as typed, whatever fonts their machine has. The licence sits beside the TTFs.
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from fieldkit import paths
from fieldkit.errors import FieldkitError

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FILES = {REGULAR: "fonts/DejaVuSans.ttf", BOLD: "fonts/DejaVuSans-Bold.ttf"}
LICENCE_FILE = "fonts/LICENSE-DejaVu.txt"


@cache
def register_fonts() -> tuple[str, str]:
    """Register the regular and bold faces once per process; returns their font names."""
    for name, resource_name in _FILES.items():
        resource = paths.resource(resource_name)
        if not resource.is_file():
            raise FieldkitError(f"the PDF font is missing from fieldkit's resources: {resource}")
        with resource.open("rb") as handle:
            pdfmetrics.registerFont(TTFont(name, handle))
    # <b> in a Paragraph picks the bold face of the family.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD
