"""The pinned Qt binding keeps Python's singletons alive.

PySide6 6.12.0 under Python 3.11 dropped a reference to None on every void Qt call and to True
on every Signal.emit(); after some thousands the interpreter aborted. pyproject pins below it;
this test fails loudly if a future binding brings the fault back.
"""

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    fired = Signal(int, int)


def test_void_calls_and_emits_keep_none_and_true(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(5000):
        label.setText("x")
        emitter.fired.emit(i, 1)
    assert abs(sys.getrefcount(None) - none_before) < 100
    assert abs(sys.getrefcount(True) - true_before) < 100
