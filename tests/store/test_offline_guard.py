"""The suite is offline by construction: prove the conftest guard really stops a connection.

A server listens on localhost, so without the guard every attempt below would connect; with it,
each one fails the test (NetworkUsed) and the server never sees a client.
"""

import socket
import urllib.request

import pytest

from tests.conftest import NetworkUsed


@pytest.fixture
def server():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.setblocking(False)
    yield listener
    with pytest.raises(BlockingIOError):  # nobody ever got through
        listener.accept()
    listener.close()


def _attempts(port: int):
    yield lambda: socket.create_connection(("127.0.0.1", port), timeout=1)
    yield lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("127.0.0.1", port))
    yield lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect_ex(("127.0.0.1", port))
    yield lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)


@pytest.mark.parametrize("attempt", range(4))
def test_any_connection_fails_the_test(server, attempt, _offline):
    port = server.getsockname()[1]
    connect = list(_attempts(port))[attempt]
    with pytest.raises(NetworkUsed, match="network connection"):
        connect()
    assert _offline, "the attempt is also recorded, so swallowing the error cannot hide it"
    _offline.clear()  # this test made its attempt on purpose


def test_a_swallowed_attempt_is_still_recorded(_offline):
    try:
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    except Exception:  # what a careless worker would do
        pass
    assert len(_offline) == 1
    _offline.clear()
