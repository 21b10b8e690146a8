"""Helpers shared by the CLI's scripted tests (cli.py, awscli_side_by_side.py)."""

import contextlib
import socket


def closed_port():
    """A local port nothing listens on (it was free a moment ago)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@contextlib.contextmanager
def stalled_servers():
    """Two local ports that answer no request, as (silent, full): `silent`
    accepts connections and never replies; `full` has its queue filled, so a
    connection to it never completes."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    full = socket.socket()
    full.bind(("127.0.0.1", 0))
    full.listen(0)
    fillers = []
    for _ in range(3):
        c = socket.socket()
        c.setblocking(False)
        c.connect_ex(full.getsockname())
        fillers.append(c)
    try:
        yield silent.getsockname()[1], full.getsockname()[1]
    finally:
        for c in fillers + [silent, full]:
            c.close()


def merged_env(base, changes):
    """`base` with `changes` applied; a value of None removes the variable."""
    e = dict(base)
    for k, v in (changes or {}).items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    return e
