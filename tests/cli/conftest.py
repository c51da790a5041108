import io

import pytest

from fieldkit.cli import _context, main


@pytest.fixture
def run(monkeypatch, capsys):
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""

    def _run(*argv: str):
        out = io.StringIO()
        monkeypatch.setattr(_context.Context, "__init__", _patched_init(out), raising=True)
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse usage errors and --version
            code = exc.code
        captured = capsys.readouterr()
        return code, out.getvalue() + captured.out, captured.err

    return _run


_original_init = _context.Context.__init__


def _patched_init(out):
    def init(self, data_dir_override=None, project_name=None, **kwargs):
        _original_init(self, data_dir_override=data_dir_override, project_name=project_name, out=out)

    return init
