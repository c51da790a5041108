"""Render resources/fieldkit.svg to resources/fieldkit.png (256 px) with Qt's SVG renderer.

Run when the SVG changes: `QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icon.py`.
The PNG is committed because the Linux desktop entry, the window icon and PyInstaller's
Windows/macOS icon conversion all want a bitmap, and none of them should need Qt at build time.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "fieldkit.svg"
PNG = ROOT / "resources" / "fieldkit.png"
SIZE = 256


def render(svg: Path = SVG, png: Path = PNG, size: int = SIZE) -> Path:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(png), "PNG"):
        raise SystemExit(f"could not write {png}")
    return png


if __name__ == "__main__":
    print(render())
