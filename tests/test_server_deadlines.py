"""The connection deadlines of api/server.py, on a protocol object and a stand-in transport.

(The same deadlines against a real server: tests/adversarial/test_http_attacks.py.)
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from unittest.mock import Mock

from uvicorn.config import Config
from uvicorn.server import ServerState

from api.server import GuardedH11Protocol

DEADLINE_S = 0.05


async def _answer(scope, receive, send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def _connection() -> tuple[GuardedH11Protocol, Mock]:
    config = Config(app=_answer, lifespan="off", log_level="warning")
    config.load()
    protocol = GuardedH11Protocol(config=config, server_state=ServerState(), app_state={},
                                  _loop=asyncio.get_running_loop(), read_timeout_s=DEADLINE_S,
                                  write_stall_s=DEADLINE_S)
    transport = Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: ("127.0.0.1", 1) if "name" in name else default
    transport.is_closing.return_value = False
    transport.abort.side_effect = lambda: protocol.connection_lost(None)  # as a real transport reports it
    protocol.connection_made(transport)
    return protocol, transport


def _run(scenario):
    """Run ``scenario()`` on a fresh event loop in a thread of its own: a browser test earlier in the
    session may leave a loop running in the main thread."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(lambda: asyncio.run(scenario())).result()


async def _after_the_deadline() -> None:
    await asyncio.sleep(DEADLINE_S * 4)


def test_a_request_head_that_never_ends_is_aborted():
    async def scenario():
        protocol, transport = _connection()
        protocol.data_received(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        await _after_the_deadline()
        return transport.abort.called

    assert _run(scenario)


def test_a_connection_that_sends_nothing_is_aborted():
    async def scenario():
        _, transport = _connection()
        await _after_the_deadline()
        return transport.abort.called

    assert _run(scenario)


def test_a_whole_request_is_answered_and_not_aborted():
    async def scenario():
        protocol, transport = _connection()
        protocol.data_received(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        await _after_the_deadline()
        written = b"".join(call.args[0] for call in transport.write.call_args_list)
        return transport.abort.called, written

    aborted, written = _run(scenario)
    assert not aborted and written.startswith(b"HTTP/1.1 200") and b"\r\nok\r\n" in written


def test_an_answer_the_client_does_not_read_is_dropped_after_the_stall_limit():
    async def scenario():
        protocol, transport = _connection()
        protocol.data_received(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        protocol.pause_writing()  # the transport's buffer is over its high-water mark
        await _after_the_deadline()
        return transport.abort.called

    assert _run(scenario)


def test_a_client_that_reads_again_in_time_keeps_its_connection():
    async def scenario():
        protocol, transport = _connection()
        protocol.data_received(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        protocol.pause_writing()
        protocol.resume_writing()
        await _after_the_deadline()
        return transport.abort.called

    assert not _run(scenario)
