"""The frozen app's entry point: the same `fieldkit.cli.main` as the `fieldkit` command.

PyInstaller needs a script, not a module path; this is that script. It holds no logic, so the
built app and `pip install fieldkit` behave the same (no command opens the GUI).
"""

from fieldkit.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
