"""Nagle's algorithm is off on every connection of api/server.py's protocol, also on a listening
socket made as uvicorn makes it for several HTTP processes (``proto`` 0, which asyncio skips:
each answer's last segment then waited 40 ms for the client's delayed ACK)."""

import asyncio
import socket

from uvicorn.config import Config
from uvicorn.server import ServerState

from api.server import GuardedH11Protocol
from tests.test_server_deadlines import _answer, _run


def test_nagle_is_off_on_connections_accepted_from_a_proto_0_listener():
    async def scenario():
        config = Config(app=_answer, lifespan="off", log_level="warning")
        config.load()
        made: list[GuardedH11Protocol] = []

        def protocol() -> GuardedH11Protocol:
            made.append(GuardedH11Protocol(config=config, server_state=ServerState(), app_state={},
                                           read_timeout_s=5, write_stall_s=5))
            return made[-1]

        listener = socket.socket(socket.AF_INET)  # uvicorn's Config.bind_socket: no proto given
        listener.bind(("127.0.0.1", 0))
        assert listener.proto == 0
        server = await asyncio.get_running_loop().create_server(protocol, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname())
        while not made:
            await asyncio.sleep(0.01)
        accepted = made[0].transport.get_extra_info("socket")
        nodelay = accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        writer.close()
        server.close()
        return nodelay

    assert _run(scenario) != 0
