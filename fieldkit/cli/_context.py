"""What every command shares: the data dir, the project to open, and clean error reporting.

Opening the app goes through here too (`fieldkit` with no command), so this module imports
only what that path needs: json and sqlite3 load where a command uses them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from fieldkit import paths
from fieldkit.errors import FieldkitError


class Context:
    """The options every command shares, and the project they open (once, on first use).

    A plain class, not a dataclass: it is built on the way to the app's first frame, where
    generating a dataclass's methods would cost more than this whole class.
    """

    def __init__(
        self,
        data_dir_override: str | None = None,
        project_name: str | None = None,
        out: IO[str] | None = None,
    ):
        self.data_dir_override = data_dir_override
        self.project_name = project_name
        self.out: IO[str] = out if out is not None else sys.stdout
        self._project: Any = None

    def __repr__(self) -> str:
        return (
            f"Context(data_dir_override={self.data_dir_override!r}, "
            f"project_name={self.project_name!r})"
        )

    @property
    def data_dir(self) -> Path:
        return paths.data_dir(self.data_dir_override)

    def open_project(self):  # -> fieldkit.store.Project
        """Open (and so integrity-check) the project this command acts on."""
        if self._project is None:
            from fieldkit.store import open_default_project

            self._project = open_default_project(self.data_dir, self.project_name)
        return self._project

    def print(self, *parts: object) -> None:
        print(*parts, file=self.out)

    def print_json(self, data: Any) -> None:
        import json

        json.dump(data, self.out, indent=2, ensure_ascii=False, default=str)
        self.out.write("\n")


def handle_errors(run: Callable[[], int | None], err: IO[str]) -> int:
    """Run a command; a refusal prints one line per problem and returns 1, never a traceback."""
    import sqlite3

    try:
        code = run()
    except FieldkitError as exc:
        for line in exc.lines():
            print(f"error: {line}", file=err)
        return 1
    except BrokenPipeError:  # output piped into `head`: not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return 130
    except sqlite3.Error as exc:  # the disk or the file refused: say so, in one line
        print(f"error: the project file could not be read or written: {exc}", file=err)
        return 1
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=err)
        return 1
    return int(code or 0)
