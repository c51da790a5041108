"""The current view saved as PNG and SVG."""

import pytest
from PySide6.QtGui import QImage

from fieldkit.errors import FieldkitError
from fieldkit.gui.maps.export import PNG_SCALE, export_view
from fieldkit.gui.maps.legend import legend_size
from fieldkit.mapping.model import Actor, Map, Tie
from tests.gui.map_helpers import make_editor


@pytest.fixture
def editor(qtbot):
    the_map = Map(site="S", round="R", focus_question="Who decides?")
    a = the_map.add_actor(Actor("Council", "public", influence=7, x=-120, y=0))
    b = the_map.add_actor(Actor("Residents' forum", "residents", x=120, y=40))
    the_map.add_tie(Tie(a.id, b.id, "influence", "mutual", 3))
    editor = make_editor(qtbot, the_map)
    editor.view.fit()
    return editor


def test_png_and_svg_of_the_current_view(editor, tmp_path):
    editor.ask_path = lambda kind: str(tmp_path / f"map.{kind}")
    png = editor.export("png")
    svg = editor.export("svg")
    assert png.stat().st_size > 1000 and svg.stat().st_size > 1000
    image = QImage(str(png))
    size = editor.view.viewport().size()
    legend = legend_size(editor.map.vocabulary)
    # The legend sits in a strip beside the picture, so it covers no actor.
    assert image.width() == (size.width() + int(legend.width()) + 20) * PNG_SCALE
    assert image.height() == max(size.height(), int(legend.height()) + 20) * PNG_SCALE
    strip = {
        image.pixelColor(x, y).name()
        for x in range(size.width() * PNG_SCALE, image.width(), 3)
        for y in range(0, image.height(), 3)
    }
    assert "#0072b2" in strip  # the legend's public-sector swatch is in the strip
    # Not a blank picture: the council's public-sector blue is in it (left of the legend).
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, size.width() * PNG_SCALE, 3)
        for y in range(0, image.height(), 3)
    }
    assert "#0072b2" in colours
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert "Council" in text and "Who decides?" in text  # names and the title are text, not pixels
    assert "Public sector" in text  # the legend came along


def test_bad_targets_are_refused(editor, tmp_path):
    with pytest.raises(FieldkitError, match="export as"):
        export_view(editor.view, tmp_path / "map.jpg")
    with pytest.raises(FieldkitError, match="folder does not exist"):
        export_view(editor.view, tmp_path / "missing" / "map.png")
    assert list(tmp_path.iterdir()) == []
