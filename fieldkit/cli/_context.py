"""What every command shares: the data dir, the project to open, and clean error reporting."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from fieldkit import paths
from fieldkit.errors import FieldkitError


@dataclass
class Context:
    data_dir_override: str | None = None
    project_name: str | None = None
    out: IO[str] = field(default_factory=lambda: sys.stdout)
    _project: Any = field(default=None, repr=False)

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
        json.dump(data, self.out, indent=2, ensure_ascii=False, default=str)
        self.out.write("\n")


def handle_errors(run: Callable[[], int | None], err: IO[str]) -> int:
    """Run a command; a refusal prints one line per problem and returns 1, never a traceback."""
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
