"""The process the kill test kills: writes answers one by one, printing each once it is durable.

Run as `python killtest_writer.py PROJECT_FILE DATA_DIR RUN`. A line `ack <interview> <key>` is
printed only after `set_answer` returned, i.e. after the commit: whatever was acknowledged must
survive a SIGKILL at any later moment.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fieldkit.store import open_project_file


def main() -> None:
    path, data_dir, run = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    project = open_project_file(path, data_dir, backup=False)
    form = project.forms.latest("household")["id"]
    interview = project.interviews.create(form, site="Broughton")
    n = 0
    while True:
        key = f"q{n}"
        project.interviews.set_answer(interview.id, key, f"run {run} answer {n} " + "x" * (n % 50))
        sys.stdout.write(f"ack {interview.id} {key}\n")
        sys.stdout.flush()
        n += 1
        if n % 25 == 0:
            project.interviews.set_answers(interview.id, {f"batch{n}_{i}": i for i in range(10)})
            sys.stdout.write(f"batch {interview.id} {n}\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
