"""The app factory: ``uvicorn --factory api.app:create_app``."""

import asyncio
import gc
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI

from api import mcp_server, memory, security
from api.encoding import EncodedEdges
from api.errors import install_error_handlers
from api.routes import (
    conflicts,
    documents,
    edges,
    explain,
    explorer,
    export,
    health,
    neighborhood,
    nodes,
    paths,
    sparql,
)
from api.settings import Settings
from kg.exchange.dataset import LoadedDataset, open_dataset
from kg.sparql import SparqlEngine

log = logging.getLogger(__name__)
SWITCH_INTERVAL_S = 0.0005
MEMORY_TRIM_INTERVAL_S = 5.0


def create_app(settings: Settings | None = None, dataset: LoadedDataset | None = None) -> FastAPI:
    """The service over ``dataset``, or over the data file of ``settings``, opened when the app starts."""
    settings = settings or Settings()
    logging.basicConfig(level=settings.log_level.upper())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Heavy routes run pure-Python work on threads; each time the event loop gives up the GIL for
        # I/O it waits up to a switch interval to get it back (the convoy effect). At Python's 5 ms,
        # 24 clients fetching neighbourhood exports held /health at 3 s; at 0.5 ms, p99 0.38 s
        # (python -m bench.fault_load --runaways 0).
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.http_threads
        served = dataset or open_dataset(settings.data_file, **settings.data_file_options())
        engine = SparqlEngine(served.store, settings.sparql_limits(), workers=settings.workers,
                              queue=settings.sparql_queue, on_disk=served.sparql_store,
                              endpoint_url=settings.sparql_endpoint)
        log.info(
            "serving %s: %d quads, %d named graphs, %d SPARQL workers",
            settings.data_file,
            engine.summary.quad_count,
            len(engine.graph_names),
            settings.workers,
        )
        app.state.sparql_engine = engine
        # SPARQL requests wait for a worker on threads of their own: never the pool that REST routes run on.
        app.state.sparql_threads = anyio.CapacityLimiter(engine.capacity)
        app.state.dataset = served
        app.state.edge_records = EncodedEdges(settings.answer_cache_mb << 20)
        base = f"http://{settings.host}:{settings.port}"
        log.info("ready: explorer %s/  API docs %s/docs  SPARQL %s/sparql", base, base, base)
        # The loaded graph is 170,000-260,000 objects that live as long as the process; a full
        # collection walked them all, 110-350 ms, every few dozen large answers (the single-client p99
        # of bench/README.md). Frozen, collections only walk what requests allocate; the loading's
        # garbage is collected first, not frozen with it.
        gc.collect()
        gc.freeze()
        trimming = asyncio.create_task(memory.trim_periodically(MEMORY_TRIM_INTERVAL_S))
        try:
            async with run_mcp():
                yield
        finally:
            trimming.cancel()
            engine.close()

    app = FastAPI(
        title="metastasis-kg",
        summary="A curated, cited knowledge graph of cancer metastasis: SPARQL 1.1 endpoint and REST API.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    security.install(app, settings.cors_origins, exposed_headers=[sparql.TRUNCATED_HEADER])
    for module in (health, nodes, edges, conflicts, neighborhood, paths, explain, documents, export, sparql,
                   explorer):
        app.include_router(module.router)
    run_mcp = mcp_server.mount(app)  # the MCP server for LLM agents at /mcp
    return app
