"""Shared test set-up: offline by construction, temporary data dirs, headless Qt."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
settings.register_profile("fieldkit", database=None, deadline=None)
settings.load_profile("fieldkit")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "xlsforms"


class NetworkUsed(AssertionError):
    pass


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    """Any attempt to reach the network fails the test: fieldkit must work with none.

    Attempts are also recorded and checked at teardown, so code that swallows the error (a
    broad `except Exception` in a worker) still cannot hide a connection.
    """
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise NetworkUsed(f"a test tried to open a network connection: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield attempts
    assert not attempts, f"a test tried to open a network connection: {attempts!r}"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """No test ever touches the user's real data dir."""
    data = tmp_path / "fieldkit-data"
    monkeypatch.setenv("FIELDKIT_DATA_DIR", str(data))
    monkeypatch.setenv("FIELDKIT_FIELDWORKER", "Test Fieldworker")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return data


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "fieldkit-data"


@pytest.fixture
def project(data_dir):
    from fieldkit.store import create_project

    p = create_project(data_dir, "Test Project")
    yield p
    p.close()


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not beside the checkout ({CORPUS})")
    return CORPUS
