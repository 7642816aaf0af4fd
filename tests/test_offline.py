"""mlprep is offline by design: tests run with sockets disabled (pytest-socket)."""

import socket
import subprocess
import sys

import pytest


def test_the_network_is_blocked_during_tests():
    with pytest.raises(Exception, match="socket"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def test_importing_every_family_opens_no_socket():
    # A fresh interpreter where connecting or resolving raises: importing mlprep and
    # loading its bundled data must not need the network.
    code = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise RuntimeError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.socket.connect_ex = refuse\n"
        "socket.socket.sendto = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "import mlprep, mlprep.datasets\n"
        "mlprep.datasets.load_customers()\n"
        "print(len(mlprep.__all__))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 0
