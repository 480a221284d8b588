"""The ``kg`` command line: build, check, export, query and serve the curated metastasis graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import KGError

if TYPE_CHECKING:  # the web stack is imported only by `kg serve`
    from api.settings import Settings

# shared/ sits beside the project checkout (../shared/seeds), as on every developer and CI machine
DEFAULT_SOURCES = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def _sources_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES,
                        help=f"directory holding the source documents (default: {DEFAULT_SOURCES})")


def _sentences(args: argparse.Namespace) -> None:
    from kg.curation.intake import sentence_row
    from kg.curation.loader import load_documents
    from kg.curation.sources import segment

    for document in load_documents(args.data):
        if args.document and document.id != args.document:
            continue
        text = document.read_source(args.sources)
        for s in segment(text, document.layout):
            print(sentence_row(document.id, text, s))


def _locate(args: argparse.Namespace) -> None:
    from kg.curation.loader import locate_cited, write_passages

    passages = list(locate_cited(args.sources, args.data))
    print(f"located {len(passages)} cited passages -> {write_passages(passages, args.data)}")


def _build(args: argparse.Namespace) -> None:
    from kg.curation.build import build

    graph = build(args.data, output=args.output)
    print(f"built {len(graph)} triples; SHACL: conforms -> {args.output}")


def _validate(args: argparse.Namespace) -> None:
    from kg.curation import loader as curation
    from kg.curation import validate
    from kg.curation.rdf import to_rdf

    graph = to_rdf(curation.load(args.data))
    validate.check(graph)
    print(f"{len(graph)} triples conform to the SHACL shapes")


def _verify(args: argparse.Namespace) -> None:
    from kg.curation import loader as curation
    from kg.curation.verify import verify

    checked, failures = verify(curation.load(args.data), args.sources)
    for f in failures:
        print(f"FAIL\t{f.document}\t{f.locator}\t{f.statement}\t{f.problem}")
    print(f"{checked} citations checked, {len(failures)} failed")
    if failures:
        raise SystemExit(1)


def _export(args: argparse.Namespace) -> None:
    from kg.curation.build import ensure_built
    from kg.exchange.export import serialize_selection
    from kg.exchange.graph import exchange_graph
    from kg.exchange.quads import read_graph
    from kg.exchange.rdfio import load_dataset

    store = load_dataset(ensure_built())
    data = serialize_selection(store, exchange_graph(read_graph(store)), args.format)
    if args.output:
        args.output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


def load_curated_index():
    """The index of the built curated graph (built first if needed)."""
    from kg.curation.build import ensure_built
    from kg.exchange.quads import build_index
    from kg.exchange.rdfio import load_dataset

    return build_index(load_dataset(ensure_built()))


def _stats(args: argparse.Namespace) -> None:
    from kg.query.edges import documents, stats

    index = load_curated_index()
    summary = stats(index)
    edges_per_document = {d.document: d.edge_count for d in documents(index, edge_limit=1)}
    print(f"{summary.nodes} nodes, {summary.edges} edges, {summary.citations} citations")
    for title, counts in (("nodes per category", summary.nodes_per_category),
                          ("edges per predicate", summary.edges_per_predicate),
                          ("citations per document", summary.citations_per_document),
                          ("edges per document", edges_per_document)):
        print(f"\n{title}:")
        for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            print(f"  {count:6d}  {name}")


def _serve_settings(args: argparse.Namespace) -> tuple[dict, Settings]:
    """The command-line flags given and the settings they make; a bad value is a KGError, not a traceback."""
    from pydantic import ValidationError

    from api.settings import Settings

    names = ("host", "port", "data_file", "data_format", "data_base_iri", "allow_empty", "http_workers")
    flags = {name: getattr(args, name, None) for name in names}  # `kg mcp` has no host, port or workers
    flags = {k: v for k, v in flags.items() if v is not None}  # a flag not given leaves its KG_* variable in force
    try:
        return flags, Settings(**flags)
    except ValidationError as error:
        named = (("_".join(map(str, e["loc"])), e["msg"]) for e in error.errors())
        problems = "; ".join(f"{field} (KG_{field.upper()}): {message}" for field, message in named)
        raise KGError(f"invalid setting {problems}") from error


def _serve(args: argparse.Namespace) -> None:
    """Serve the REST API and SPARQL endpoint over the data file with uvicorn."""
    import logging
    import os

    from api import server
    from api.app import create_app
    from kg.exchange.dataset import open_dataset
    from kg.exchange.rdfio import load_dataset

    flags, settings = _serve_settings(args)
    logging.basicConfig(level=settings.log_level.upper())  # loading logs its progress and figures
    # The data file is read before uvicorn starts: a bad file then ends the command with one message
    # instead of a traceback from the app's startup.
    if settings.http_workers == 1:
        dataset = open_dataset(settings.data_file, **settings.data_file_options())
        server.run(create_app(settings, dataset), settings)
        return
    load_dataset(settings.data_file, **settings.data_file_options())  # each worker reads it again for itself
    # Several processes each build the app from an import string, so the settings travel as KG_* variables.
    os.environ.update({f"KG_{k.upper()}": str(v) for k, v in flags.items()})
    server.run("api.app:create_app", settings, factory=True, workers=settings.http_workers)


def _mcp(args: argparse.Namespace) -> None:
    """Serve the MCP server for LLM agents on standard input and output."""
    import anyio

    from api.mcp_server import serve_stdio
    from kg.exchange.dataset import open_dataset

    _, settings = _serve_settings(args)
    anyio.run(serve_stdio, open_dataset(settings.data_file, **settings.data_file_options()), settings)


def _data_file_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", dest="data_file", type=Path,
                        help="any RDF file (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) to serve instead")
    parser.add_argument("--format", dest="data_format",
                        help="syntax of the data file, a name (turtle, nt, nq, trig, json-ld, xml) or a media type "
                        "(default from KG_DATA_FORMAT or the file extension)")
    parser.add_argument("--base", dest="data_base_iri", metavar="IRI",
                        help="base IRI resolving the relative IRIs of the data file (default from KG_DATA_BASE_IRI)")
    parser.add_argument("--allow-empty", action="store_true", default=None,
                        help="serve the data file even if it holds no triples (default from KG_ALLOW_EMPTY: refuse)")


def build_parser() -> argparse.ArgumentParser:
    from kg.curate_cli import register as register_curation
    from kg.curation.build import BUILT_GRAPH
    from kg.exchange.export import FORMATS
    from kg.query_cli import register as register_queries
    from kg.release_cli import register as register_releases

    parser = argparse.ArgumentParser(prog="kg", description=__doc__)
    parser.add_argument("--data-dir", dest="data", type=Path, default=None,
                        help="curated data directory (default: the project's data/)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="check data/, build the RDF graph, validate it with SHACL, write it")
    build.add_argument("-o", "--output", type=Path, default=BUILT_GRAPH,
                       help=f"N-Triples output (default: {BUILT_GRAPH})")
    build.set_defaults(run=_build)

    commands.add_parser("validate", help="build the graph in memory and check it against the SHACL shapes"
                        ).set_defaults(run=_validate)

    verify = commands.add_parser("verify-citations", help="check every citation against the source documents")
    _sources_argument(verify)
    verify.set_defaults(run=_verify)

    locate = commands.add_parser("locate", help="locate the cited passages in the sources, write data/passages.tsv")
    _sources_argument(locate)
    locate.set_defaults(run=_locate)

    sentences = commands.add_parser("sentences", help="print each sentence of the sources with its locator")
    sentences.add_argument("document", nargs="?", help="only this document id")
    _sources_argument(sentences)
    sentences.set_defaults(run=_sentences)

    export = commands.add_parser("export", help="write the whole graph in an exchange format")
    export.add_argument("--format", choices=FORMATS, default="turtle", help="output format (default: turtle)")
    export.add_argument("-o", "--output", type=Path, help="output file (default: standard output)")
    export.set_defaults(run=_export)

    commands.add_parser("stats", help="counts per category, predicate and document").set_defaults(run=_stats)
    register_queries(commands, load_curated_index)
    register_curation(commands, _sources_argument)
    register_releases(commands)

    serve = commands.add_parser("serve", help="serve the REST API and SPARQL endpoint with uvicorn")
    _data_file_arguments(serve)
    serve.add_argument("--host", help="interface to listen on (default from KG_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default from KG_PORT or 8000)")
    serve.add_argument("--http-workers", type=int, help="uvicorn worker processes (default from KG_HTTP_WORKERS or 1)")
    serve.set_defaults(run=_serve)

    mcp = commands.add_parser("mcp", help="serve the graph to LLM agents over MCP on standard input and output")
    _data_file_arguments(mcp)
    mcp.set_defaults(run=_mcp)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if hasattr(args, "func"):  # the query commands report their own errors and exit status
        return args.func(args)
    try:
        args.run(args)
    except KGError as error:
        print(f"kg {args.command}: {error.message}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    return 0
