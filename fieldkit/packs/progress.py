"""Progress and cancel for long exports: the GUI shows a bar and a Cancel button.

Every pack builder takes `progress(done, total)` and `cancel() -> bool`; `Steps` calls the one
and checks the other between units of work, so a builder stays a plain function the CLI,
the GUI's worker thread and a benchmark all call the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from fieldkit.errors import FieldkitError

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class ExportCancelled(FieldkitError):
    """The user cancelled; the partial file has been removed."""

    def __init__(self, what: str = "export"):
        super().__init__(f"{what} cancelled; nothing was written")


class Steps:
    """Counts units of work done out of a total, reporting and checking cancel as it goes."""

    def __init__(
        self,
        total: int,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
        what: str = "export",
    ):
        self.total = max(int(total), 1)
        self.done = 0
        self._progress = progress
        self._cancel = cancel
        self._what = what

    def check(self) -> None:
        """Raise ExportCancelled if the user asked to stop."""
        if self._cancel is not None and self._cancel():
            raise ExportCancelled(self._what)

    def advance(self, units: int = 1) -> None:
        self.done = min(self.done + units, self.total)
        if self._progress is not None:
            self._progress(self.done, self.total)
        self.check()

    def finish(self) -> None:
        self.done = self.total
        if self._progress is not None:
            self._progress(self.total, self.total)
