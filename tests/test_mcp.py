"""The MCP server (api/mcp_server.py) through the SDK's own client: every tool over an in-memory
session, the app's /mcp over streamable HTTP, and `kg mcp` over stdio, offline."""

import functools
import sys

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client._memory import InMemoryTransport
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from api.admission import Slots
from api.app import create_app
from api.mcp_server import GraphService, create_server
from api.settings import Settings
from kg.curation.build import ensure_built
from kg.exchange.dataset import open_dataset
from kg.sparql import SparqlEngine

ROW_CAP = 5
TOOLS = {"search_nodes", "get_node", "list_edges", "list_conflicts", "get_neighborhood", "find_paths", "explain",
         "list_documents", "get_document", "sparql_query"}


@pytest.fixture(scope="module")
def graph_file():
    return ensure_built()


@pytest.fixture(scope="module")
def service(graph_file):
    settings = Settings(workers=1, sparql_row_cap=ROW_CAP)
    engine = SparqlEngine(open_dataset(graph_file).store, settings.sparql_limits(), workers=1)
    slots = Slots(size=1, queue=0, wait_s=0.05)
    yield GraphService(open_dataset(graph_file), engine, functools.partial(slots.held, "query")), slots
    engine.close()


def calls(server, *requests):
    """Call tools over one MCP session; the results in order."""
    async def run():
        async with Client(InMemoryTransport(server)) as client:
            return [await client.call_tool(name, arguments) for name, arguments in requests]

    return anyio.run(run)


def answer(result):
    assert not result.is_error, result.content[0].text
    return result.structured_content


def error(result):
    assert result.is_error and set(result.structured_content) == {"error"}
    assert "Traceback" not in result.content[0].text
    return result.structured_content["error"]


def cited(edges):
    """Every edge of the documents has citations with a document, a locator and a paraphrase."""
    documents_edges = [edge for edge in edges if not edge["background"]]
    assert documents_edges
    for edge in documents_edges:
        assert edge["citations"] and all(c["document"] and c["locator"] and c["statement"] for c in edge["citations"])
    return True


def test_every_tool_lists_its_schemas_and_answers_with_citations(service):
    graph, _ = service
    server = create_server(lambda: graph)

    async def listed():
        async with Client(InMemoryTransport(server)) as client:
            return (await client.list_tools()).tools

    tools = {tool.name: tool for tool in anyio.run(listed)}
    assert set(tools) == TOOLS
    assert all(tool.output_schema and tool.annotations.read_only_hint for tool in tools.values())
    assert tools["get_neighborhood"].input_schema["properties"]["depth"]["maximum"] == 3  # api/params.py's limit

    (search, node, edges, conflicts, hood, paths, explained, documents, document, rows, ask) = map(answer, calls(
        server,
        ("search_nodes", {"q": "tgf beta", "limit": 2}),
        ("get_node", {"node": "EMT"}),
        ("list_edges", {"subject": "EMT", "object": "local invasion", "evidence": "pooled"}),
        ("list_conflicts", {"node": "hypoxia"}),
        ("get_neighborhood", {"node": ["metastasis"], "depth": 2, "limit": 5}),
        ("find_paths", {"source": ["hypoxia"], "target": ["metastasis"], "mode": "k_shortest", "k": 2}),
        ("explain", {"source": "hypoxia", "target": "metastasis", "k": 1}),
        ("list_documents", {}),
        ("get_document", {"document": "wolf2025", "edge_limit": 2}),
        ("sparql_query", {"query": "SELECT ?label WHERE { mkg:emt rdfs:label ?label }"}),
        ("sparql_query", {"query": "ASK { mkg:hypoxia ?p mkg:local_invasion }"}),
    ))
    assert [hit["id"] for hit in search["items"]] == ["mkg:tgf_beta", "mkg:tgf_beta_signaling"]
    assert node["id"] == "mkg:emt" and "GO:0001837" in node["xrefs"]
    [pooled] = edges["edges"]
    assert pooled["predicate"] == "positively_affects" and {"enables", "promotes"} <= set(pooled["pooled_predicates"])
    assert cited(edges["edges"]) and len({c["document"] for c in pooled["citations"]}) >= 3
    assert conflicts["conflicts"] and all("mkg:hypoxia" in (c["subject"]["id"], c["object"]["id"]) and
                                          all(side["citations"] for side in c["certainties"])
                                          for c in conflicts["conflicts"])
    assert len(hood["nodes"]) == 5 and hood["truncated"] and hood["truncated_by"] == "limit" and cited(hood["edges"])
    assert len(paths["paths"]) == 2
    for path in paths["paths"]:
        assert [path["nodes"][0]["label"], path["nodes"][-1]["label"]] == ["hypoxia", "metastasis"]
        assert cited(path["edges"])
    marks = {reference["mark"] for reference in explained["references"]}
    steps = [step for section in explained["sections"] for step in section["steps"]]
    assert steps and all(set(step["citation_marks"]) <= marks and step["citation_marks"] for step in steps)
    assert "wolf2025" in {item["id"] for item in documents["items"]}
    assert len(document["edges"]) == 2 and document["edges_truncated"] and cited(document["edges"])
    assert rows["kind"] == "solutions" and '"epithelial-mesenchymal transition"' in rows["body"]
    assert ask["kind"] == "boolean" and '"boolean":true' in ask["body"].replace(" ", "")


def test_explain_reads_as_markdown_with_references(service):
    graph, _ = service
    [result] = calls(create_server(lambda: graph), ("explain", {"node": "hypoxia", "k": 2}))
    text = result.content[0].text
    assert text.startswith("## ") and "### References" in text and answer(result)["node"]["id"] == "mkg:hypoxia"


def test_failures_are_tool_errors_in_the_service_error_shape(service):
    graph, _ = service
    results = calls(
        create_server(lambda: graph),
        ("get_node", {"node": "no such thing"}),
        ("get_neighborhood", {"node": ["hypoxia"], "depth": 9}),
        ("list_edges", {"certainty": "rumoured"}),
        ("explain", {"source": "hypoxia"}),
        ("sparql_query", {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}),
        ("sparql_query", {"query": "SELECT WHERE"}),
        ("no_such_tool", {}),
    )
    missing, too_deep, bad_value, half_asked, service_call, malformed, unknown = map(error, results)
    assert (missing["status"], missing["code"]) == (404, "not_found") and "no such thing" in missing["message"]
    assert (too_deep["status"], too_deep["detail"][0]["loc"]) == (422, ["depth"])
    assert (bad_value["status"], bad_value["detail"][0]["loc"]) == (422, ["certainty"])
    assert (half_asked["status"], half_asked["code"]) == (400, "invalid_query")
    assert (service_call["status"], service_call["code"]) == (400, "query_refused")
    assert (malformed["status"], malformed["code"]) == (400, "invalid_query")
    assert unknown["status"] == 404 and "no_such_tool" in unknown["message"]


def test_limits_are_those_of_the_rest_routes(service):
    graph, slots = service
    server = create_server(lambda: graph)
    [capped] = calls(server, ("sparql_query", {"query": "SELECT * WHERE { ?s ?p ?o }"}))
    assert answer(capped)["truncated"] and answer(capped)["rows"] == ROW_CAP
    assert slots.take()  # the one query slot is taken: a heavy tool is answered busy, a lookup is not
    try:
        busy, lookup = calls(server, ("find_paths", {"source": ["hypoxia"], "target": ["metastasis"]}),
                             ("get_node", {"node": "EMT"}))
    finally:
        slots.give_back()
    assert (error(busy)["status"], error(busy)["code"]) == (503, "busy") and answer(lookup)["id"] == "mkg:emt"


def test_the_app_serves_it_at_mcp_over_streamable_http(graph_file):
    app = create_app(Settings(data_file=graph_file, workers=1))

    async def run():
        http = httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://testserver")
        async with app.router.lifespan_context(app), http, Client(
                streamable_http_client("http://testserver/mcp", http_client=http)) as client:
            return (await client.call_tool("get_node", {"node": "EMT"}),
                    await client.call_tool("sparql_query", {"query": "ASK { mkg:emt ?p ?o }"}),
                    await client.call_tool("get_node", {"node": ""}))

    node, asked, empty = anyio.run(run)
    assert answer(node)["id"] == "mkg:emt" and answer(asked)["kind"] == "boolean"
    assert error(empty)["status"] == 422


def test_kg_mcp_serves_it_over_stdio(graph_file):
    command = StdioServerParameters(command=sys.executable, args=["-m", "kg", "mcp", "--data", str(graph_file)],
                                    env={"KG_WORKERS": "1", "KG_LOG_LEVEL": "warning"})

    async def run():
        async with Client(command) as client:
            return ({tool.name for tool in (await client.list_tools()).tools},
                    await client.call_tool("list_edges", {"subject": "hypoxia", "predicate": "promotes", "limit": 1}))

    names, edges = anyio.run(run)
    assert names == TOOLS
    page = answer(edges)
    assert page["truncated"] and len(page["edges"]) == 1 and cited(page["edges"])
