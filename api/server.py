"""Run the app with uvicorn, with deadlines on slow clients.

uvicorn times out idle keep-alive connections, but any byte resets that timer, so a client that
sends its request head one byte at a time holds a connection for ever (slowloris), and one that
never reads a large answer holds it and the answer's memory for ever (a closing transport waits
for its buffer to drain). :class:`GuardedH11Protocol` adds two deadlines per connection:

* a request (head and body) must arrive within ``read_timeout_s`` of its first byte, or of the
  connection's opening;
* written data may wait, unsent because the client does not read, ``write_stall_s`` at most.

Either way the connection is aborted (no answer: the client is not reading one).

It also turns Nagle's algorithm off on every connection. asyncio does that only for sockets whose
``proto`` is ``IPPROTO_TCP``; with several HTTP processes uvicorn binds the listening socket itself
as ``socket.socket(AF_INET)`` (``proto`` 0), so accepted sockets kept Nagle on: the last small segment
of each answer waited for the client's delayed ACK, 40 ms on Linux, on every request
(``bench/README.md``).
"""

import functools
import socket
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.settings import Settings

# h11 states of the client's side before its request is complete (IDLE: the head has not ended)
_RECEIVING = (h11.IDLE, h11.SEND_BODY)


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a read deadline per request and a stall deadline on writes."""

    def __init__(self, *args: Any, read_timeout_s: float, write_stall_s: float, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.read_timeout_s, self.write_stall_s = read_timeout_s, write_stall_s
        self._read_deadline: Any = None
        self._write_deadline: Any = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        connection = transport.get_extra_info("socket")
        if connection is not None and connection.family in (socket.AF_INET, socket.AF_INET6):
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
        self._expect_request()  # a connection that never sends a byte is slow too

    def data_received(self, data: bytes) -> None:
        self._expect_request()
        super().data_received(data)
        if self.conn.their_state not in _RECEIVING and self._read_deadline is not None:
            self._read_deadline.cancel()  # the whole request is in
            self._read_deadline = None

    def _expect_request(self) -> None:
        if self._read_deadline is None and self.conn.their_state in _RECEIVING:
            self._read_deadline = self.loop.call_later(self.read_timeout_s, self._abort)

    def pause_writing(self) -> None:
        super().pause_writing()
        if self._write_deadline is None:
            self._write_deadline = self.loop.call_later(self.write_stall_s, self._abort)

    def resume_writing(self) -> None:
        super().resume_writing()
        if self._write_deadline is not None:
            self._write_deadline.cancel()
            self._write_deadline = None

    def connection_lost(self, exc: Exception | None) -> None:
        for deadline in (self._read_deadline, self._write_deadline):
            if deadline is not None:
                deadline.cancel()
        super().connection_lost(exc)

    def _abort(self) -> None:
        self.logger.info("closing a connection from %s: the client is too slow", self.client)
        self.transport.abort()


def protocol(settings: Settings) -> functools.partial:
    """The protocol class uvicorn builds connections with (a picklable partial, for several workers)."""
    return functools.partial(
        GuardedH11Protocol, read_timeout_s=settings.client_read_timeout_s, write_stall_s=settings.client_write_stall_s
    )


def run(app: Any, settings: Settings, **options: Any) -> None:
    """Serve ``app`` (an app or an import string with ``factory=True``) as ``settings`` say."""
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level, http=protocol(settings),
                timeout_keep_alive=5, **options)
