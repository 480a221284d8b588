"""The knowledge graph as an MCP server, for LLM agents (the official ``mcp`` SDK).

Tools: ``search_nodes``, ``get_node``, ``list_edges``, ``list_conflicts``, ``get_neighborhood``,
``find_paths``, ``explain``, ``list_documents``, ``get_document`` and ``sparql_query``. Each takes
the parameters of its REST route, declared once in :mod:`api.params` and so checked the same way,
calls the same query functions, holds the same admission slots (:mod:`api.admission`), and
answers the route's JSON (the ``structuredContent``, checked against the route's response model,
which is the tool's ``outputSchema``): every edge with its citations, and ``truncated`` (with
``truncated_by``) where a limit cut the answer. ``explain`` reads as Markdown with numbered
references. ``sparql_query`` goes to the confined worker processes of :class:`kg.sparql.SparqlEngine`
exactly as ``/sparql`` does: this process never parses the query.

A failure is an MCP tool error (``isError``) whose content is the service's one error shape,
``{"error": {"status", "code", "message", "detail"}}``, never a traceback.

``kg mcp`` serves it over stdio (:func:`serve_stdio`); the app mounts it at ``/mcp`` over
streamable HTTP (:func:`mount`), stateless and answering JSON, so any HTTP worker or replica can
take any call.

>>> import asyncio
>>> server = create_server(lambda: None)
>>> sorted(tool.name for tool in asyncio.run(server.list_tools()))[:4]
['explain', 'find_paths', 'get_document', 'get_neighborhood']
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AbstractContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any

import anyio
import orjson
import pydantic
from fastapi import FastAPI, Query
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.transport_security import TransportSecuritySettings
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field
from starlette.routing import Route

from api import models
from api.admission import Slots, holding
from api.errors import ApiError, error_body, invalid_request_body, status_of
from api.params import (
    Categories,
    CertaintyFilter,
    ConflictKindFilter,
    ConflictNode,
    Depth,
    Directed,
    DirectionParam,
    Document,
    Documents,
    Evidence,
    ExcludeCategories,
    ExcludeNodes,
    ExcludePredicates,
    Expand,
    Limit,
    MaxLength,
    MaxPaths,
    NeighborhoodLimit,
    NodeName,
    NodeSet,
    Object,
    Offset,
    OptionalNodeName,
    PathK,
    PathModeParam,
    Predicate,
    Predicates,
    SearchLimit,
    SearchText,
    Subject,
    TimeoutMs,
    Via,
)
from api.routes.explain import explain_either
from api.settings import Settings
from kg.errors import KGError
from kg.exchange.dataset import LoadedDataset
from kg.query import paths
from kg.query.conflicts import find_conflicts
from kg.query.edges import find_edges
from kg.query.lookup import resolve, search
from kg.query.neighborhood import neighborhood
from kg.sparql import QueryRequest, ResultKind, SparqlEngine, formats_for
from kg.vocab import SPARQL_PROLOGUE

log = logging.getLogger(__name__)

INSTRUCTIONS = (
    "A curated knowledge graph of cancer metastasis. Every edge cites the documents that state it: the passage "
    "(locator), the numbered reference the document gives there, the certainty (stated, hedged, implied) and a "
    "paraphrase. Name nodes by label, synonym or CURIE (search_nodes finds them). Quote the citations when you "
    "use an edge; an answer with truncated=true was cut by a limit: narrow the question or raise the limit."
)
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
#: SELECT and ASK answer SPARQL JSON results, CONSTRUCT and DESCRIBE Turtle: the default of each kind
SPARQL_FORMATS = {kind: formats_for(kind)[0] for kind in ResultKind}

SparqlText = Annotated[str, Query(min_length=1, description="A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or "
                                  "DESCRIBE); the prefixes mkg:, biolink:, rdf:, rdfs:, ... are declared.",
                                  examples=["SELECT ?label WHERE { mkg:emt rdfs:label ?label }"])]
DocumentId = Annotated[str, Query(min_length=1, max_length=200, description="Document id, as citations give it.",
                                  examples=["schneider2025"])]
EdgeLimit = Annotated[int, Query(ge=0, le=1000, description="Most edges to list.")]


class SparqlAnswer(BaseModel):
    """A SPARQL result as the ``sparql_query`` tool gives it."""

    kind: ResultKind = Field(description="solutions (SELECT), boolean (ASK) or graph (CONSTRUCT, DESCRIBE).")
    media_type: str = Field(description="The format of body: SPARQL JSON results, or Turtle for a graph.")
    body: str = Field(description="The result, serialised.")
    rows: int = Field(description="Rows (SELECT), triples (CONSTRUCT, DESCRIBE) or 1 (ASK) in body.")
    truncated: bool = Field(description="True when the row cap cut the result.")


@dataclass
class GraphService:
    """What the tools answer from: the served dataset, its SPARQL engine, a query slot for heavy work
    (``hold_query()``, as the REST routes' :data:`api.admission.QuerySlot`) and the threads SPARQL calls wait on."""

    dataset: LoadedDataset
    engine: SparqlEngine
    hold_query: Callable[[], AbstractContextManager[None]]
    sparql_threads: anyio.CapacityLimiter | None = None


def tool_error(exc: BaseException) -> dict[str, Any]:
    """The service's error shape for a failed tool call; anything unforeseen is logged and named a 500."""
    if isinstance(exc, KGError):
        return error_body(status_of(exc), exc.code, exc.message, exc.detail)
    if isinstance(exc, ApiError):
        return error_body(exc.status, exc.code, exc.message, exc.detail)
    if isinstance(exc, pydantic.ValidationError):
        return invalid_request_body(exc.errors())
    log.error("MCP tool failed", exc_info=exc)
    return error_body(500, "internal_error", "internal server error")


class GraphServer(MCPServer):
    """An MCP server whose failed tool calls answer in the service's error shape."""

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:  # the SDK wraps what a tool raised; an unknown tool has no cause
            cause = exc.__cause__
            body = tool_error(cause) if cause else error_body(404, "not_found", str(exc))
            return CallToolResult(content=[TextContent(type="text", text=_json(body))], structured_content=body,
                                  is_error=True)


def _json(data: Any) -> str:
    return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode()


def answer(data: dict[str, Any], text: str | None = None) -> CallToolResult:
    """A tool result: ``data`` as structured content, and as text (JSON unless ``text`` is given)."""
    return CallToolResult(content=[TextContent(type="text", text=_json(data) if text is None else text)],
                          structured_content=data)


def create_server(service: Callable[[], GraphService]) -> GraphServer:
    """The MCP server; ``service()`` gives what to answer from at each call (the app's state is set at startup)."""
    server = GraphServer("metastasis-kg", title="metastasis-kg: a cited knowledge graph of cancer metastasis",
                         instructions=INSTRUCTIONS, version="0.1.0")
    tool = server.tool(annotations=READ_ONLY)

    @tool
    def search_nodes(q: SearchText, category: Categories = None, limit: SearchLimit = 20,
                     offset: Offset = 0) -> Annotated[CallToolResult, models.SearchPage]:
        """Find nodes by name: case, hyphens, spaces and Greek letters do not matter (TGF-β = tgf beta); ranked
        id > exact label > synonym > prefix > substring."""
        return answer(search(service().dataset.index, q, category=category, limit=limit, offset=offset).to_dict())

    @tool
    def get_node(node: NodeName) -> Annotated[CallToolResult, models.NodeDetailOut]:
        """One node's record: label, category, synonyms, standard identifiers (HGNC, GO, CL, UBERON, MONDO, NCIT...),
        definition and degree. Its cited edges: list_edges or get_neighborhood."""
        index = service().dataset.index
        return answer(index.describe(resolve(index, node).id).to_dict())

    @tool
    def list_edges(subject: Subject = None, predicate: Predicate = None, object: Object = None,  # noqa: A002
                   document: Document = None, certainty: CertaintyFilter = None, evidence: Evidence = "asserted",
                   expand: Expand = "none", limit: Limit = 100,
                   offset: Offset = 0) -> Annotated[CallToolResult, models.EdgePage]:
        """Edges by subject, predicate (with the predicates below it), object, document or certainty, each with
        every citation; evidence=pooled merges a pair's edges of one causal polarity into one edge with all the
        evidence for the claim."""
        page = find_edges(service().dataset.index, subject=subject, predicate=predicate, object=object,
                          document=document, certainty=certainty, evidence=evidence, expand=expand, limit=limit,
                          offset=offset)
        return answer(page.to_dict())

    @tool
    def list_conflicts(kind: ConflictKindFilter = None, node: ConflictNode = None, limit: Limit = 100,
                       offset: Offset = 0) -> Annotated[CallToolResult, models.ConflictPage]:
        """Where the documents disagree: pairs stated with opposite signs, and claims one document states while
        another only hedges or implies, with both sides' citations, most cited first."""
        page = find_conflicts(service().dataset.index, kind=kind, node=node, limit=limit, offset=offset)
        return answer(page.to_dict())

    @tool
    def get_neighborhood(node: NodeSet, depth: Depth = 1, direction: DirectionParam = "both",
                         predicate: Predicates = None, category: Categories = None, document: Documents = None,
                         limit: NeighborhoodLimit = 100, evidence: Evidence = "asserted",
                         expand: Expand = "none") -> Annotated[CallToolResult, models.NeighborhoodOut]:
        """Nodes and cited edges within depth hops of the seed node(s), best-supported edges kept first; says
        truncated (and by what) when the node limit or the answer-size cap cut it."""
        graph = service()
        with graph.hold_query():
            result = neighborhood(graph.dataset.index, node, depth=depth, direction=direction, predicates=predicate,
                                  categories=category, documents=document, limit=limit, evidence=evidence,
                                  expand=expand)
            return answer(result.to_dict())

    @tool
    def find_paths(source: NodeSet, target: NodeSet, mode: PathModeParam = "shortest", k: PathK = 5,
                   max_length: MaxLength = 3, max_paths: MaxPaths = 100, directed: Directed = True,
                   predicate: Predicates = None, exclude_predicate: ExcludePredicates = None,
                   category: Categories = None, exclude_category: ExcludeCategories = None,
                   exclude_node: ExcludeNodes = None, via: Via = None, timeout_ms: TimeoutMs = 2000,
                   evidence: Evidence = "pooled",
                   expand: Expand = "hierarchy") -> Annotated[CallToolResult, models.PathsOut]:
        """Paths from source to target, each with its composed sign (+1 raises the target, -1 lowers it, 0 unsigned)
        and citation support, every edge cited; ranked by length then support, under a time budget."""
        graph = service()
        with graph.hold_query():
            result = paths.find_paths(graph.dataset.index, source, target, mode=mode, k=k, max_length=max_length,
                                max_paths=max_paths, directed=directed, predicates=predicate,
                                exclude_predicates=exclude_predicate, categories=category,
                                exclude_categories=exclude_category, exclude_nodes=exclude_node, via=via,
                                timeout_ms=timeout_ms, evidence=evidence, expand=expand)
            return answer(result.to_dict())

    @tool
    def explain(source: OptionalNodeName = None, target: OptionalNodeName = None, node: OptionalNodeName = None,
                k: PathK = 3, timeout_ms: TimeoutMs = 2000) -> Annotated[CallToolResult, models.ExplanationOut]:
        """How source leads to target (the best paths), or with node alone its strongest drivers and effects, in
        plain sentences from the curated paraphrases, each step with citation marks into a reference list; the
        certainty is called out where no document states a step outright or the documents disagree."""
        graph = service()
        with graph.hold_query():
            explanation = explain_either(graph.dataset.index, source, target, node, k=k, timeout_ms=timeout_ms)
            return answer(explanation.to_dict(), explanation.to_markdown())

    @tool
    def list_documents() -> Annotated[CallToolResult, models.DocumentPage]:
        """Every cited document with its bibliographic record (title, authors, journal, year, DOI) and counts."""
        items = service().dataset.document_summaries()
        return answer({"items": items, "total": len(items), "truncated": False})

    @tool
    def get_document(document: DocumentId,
                     edge_limit: EdgeLimit = 100) -> Annotated[CallToolResult, models.DocumentDetail]:
        """One document: bibliography, its numbered reference list, and the edges it supports with citations."""
        graph = service()
        with graph.hold_query():
            return answer(graph.dataset.document(document, edge_limit=edge_limit))

    @tool
    async def sparql_query(query: SparqlText) -> Annotated[CallToolResult, SparqlAnswer]:
        """A read-only SPARQL 1.1 query, run by the same confined, time-limited, row-capped workers as /sparql.
        Each relation is also a biolink:Association node (rdf:subject, rdf:predicate, rdf:object) carrying
        mkg:citation records: walk from an edge to its passage and reference to cite it."""
        graph = service()
        with graph.engine.admission():
            result = await anyio.to_thread.run_sync(graph.engine.run, QueryRequest(SPARQL_PROLOGUE + query),
                                                    SPARQL_FORMATS, limiter=graph.sparql_threads)
        body = result.body.decode()
        return answer(SparqlAnswer(kind=result.kind, media_type=result.format.media_type, body=body,
                                   rows=result.row_count, truncated=result.truncated).model_dump(mode="json"), body)

    return server


class _Endpoint:
    """An ASGI app that passes each request to the streamable-HTTP handler of the lifespan running now."""

    app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


def mount(app: FastAPI) -> Callable[[], AbstractAsyncContextManager[None]]:
    """Serve the MCP server at ``/mcp`` of ``app`` (streamable HTTP) over the app's dataset and engine,
    holding the app's slots; returns the context in which each run of the app's lifespan serves it (the
    SDK's session manager runs once, so each lifespan gets a fresh one)."""
    server = create_server(lambda: GraphService(app.state.dataset, app.state.sparql_engine,
                                                lambda: holding(app, "query"), app.state.sparql_threads))
    endpoint = _Endpoint()

    @asynccontextmanager
    async def serving() -> AsyncIterator[None]:
        # The service is public and read-only, and sends CORS "*" like its REST routes: the SDK's DNS-rebinding
        # check (which would refuse any Host but localhost) protects nothing here.
        http = server.streamable_http_app(streamable_http_path="/mcp", stateless_http=True, json_response=True,
                                          max_request_body_size=app.state.settings.max_body_bytes,
                                          transport_security=TransportSecuritySettings(
                                              enable_dns_rebinding_protection=False))
        [route] = http.routes
        endpoint.app = route.app
        async with server.session_manager.run():
            yield

    app.router.routes.append(Route("/mcp", endpoint, methods=["GET", "POST", "DELETE"]))
    return serving


async def serve_stdio(dataset: LoadedDataset, settings: Settings) -> None:
    """Serve the MCP server on standard input and output (``kg mcp``) until the client closes it."""
    engine = SparqlEngine(dataset.store, settings.sparql_limits(), workers=settings.workers,
                          queue=settings.sparql_queue, endpoint_url=settings.sparql_endpoint)
    service = GraphService(dataset, engine, functools.partial(Slots.configured(settings, "query").held, "query"))
    try:
        await create_server(lambda: service).run_stdio_async()
    finally:
        engine.close()

