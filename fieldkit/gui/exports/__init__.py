"""The Exports page and dialog: packs and files for others, written off the UI thread.

page     the four outputs, each with a plain-English line and an "Export…" button
dialog   the options, the progress bar with Cancel, and "Open folder" at the end
jobs     the dialog's choices checked and run through the CLI's own core functions (no Qt)
"""

from fieldkit.gui.exports.dialog import ExportDialog
from fieldkit.gui.exports.page import ExportsPage

__all__ = ["ExportDialog", "ExportsPage"]
