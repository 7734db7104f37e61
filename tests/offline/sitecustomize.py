"""Loaded by every Python process (the chain, its workers, their kernels) started with this folder
on PYTHONPATH: refuses any network connection or name lookup beyond this machine, and records the
attempt in the file named by RARE_EARTHS_NETWORK_LOG, so a test can prove the chain ran offline.

Kernels talk to their worker over TCP on 127.0.0.1, so loopback stays open.
"""

import ipaddress
import os
import socket

_LOG = os.environ.get("RARE_EARTHS_NETWORK_LOG", "")
_LOCAL_NAMES = {"localhost", "ip6-localhost", "ip6-loopback", ""}


def _refuse(what: str) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {what}\n")
    raise OSError(f"network access blocked by tests/offline/sitecustomize.py: {what}")


def _is_local(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if host is None or str(host).lower() in _LOCAL_NAMES:
        return True
    try:
        return (
            ipaddress.ip_address(str(host).split("%")[0]).is_loopback or ipaddress.ip_address(str(host)).is_unspecified
        )
    except ValueError:
        return False


_getaddrinfo = socket.getaddrinfo
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def getaddrinfo(host, *args, **kwargs):
    if not _is_local(host):
        _refuse(f"name lookup {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


def _check(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        _refuse(f"connect to {address!r}")


def connect(self, address):
    _check(self, address)
    return _connect(self, address)


def connect_ex(self, address):
    _check(self, address)
    return _connect_ex(self, address)


socket.getaddrinfo = getaddrinfo
socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
