"""Command-line queries: ``neighbors``, ``paths``, ``search`` and ``conflicts`` subcommands.

The main CLI (``kg/cli.py``) calls :func:`register` with its subparsers and a callable that
returns the :class:`~kg.query.index.GraphIndex` of the curated graph; each subcommand stores its
handler in ``func`` (``args.func(args)`` returns the exit status) and prints a readable answer
with the citations behind every edge (document, locator, paraphrase).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import TextIO

from kg.errors import KGError
from kg.query.conflicts import KINDS, Conflict, ConflictSide, find_conflicts
from kg.query.evidence import EVIDENCE_MODES
from kg.query.explain import FORMATS as EXPLAIN_FORMATS
from kg.query.explain import explain, explain_node
from kg.query.hierarchy import EXPANSIONS
from kg.query.index import DIRECTIONS, Edge, GraphIndex, Node
from kg.query.lookup import search
from kg.query.neighborhood import DEFAULT_LIMIT, neighborhood
from kg.query.paths import DEFAULT_TIMEOUT_MS, MODES, find_paths

_SIGNS = {1: "+", -1: "-", 0: "?"}


def register(subparsers: argparse._SubParsersAction, load_index: Callable[[], GraphIndex]) -> None:
    """Add the ``neighbors``, ``paths``, ``search``, ``conflicts`` and ``explain`` subcommands."""
    neighbors = subparsers.add_parser("neighbors", help="nodes within a few hops of a node, with citations")
    neighbors.add_argument("node", nargs="+", help="node id, IRI, label or synonym (several: a node set)")
    neighbors.add_argument("--depth", type=int, default=1, help="hops, 1-3 (default 1)")
    neighbors.add_argument("--direction", choices=DIRECTIONS, default="both")
    neighbors.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="most nodes to show (1-500)")
    _add_filters(neighbors)
    neighbors.add_argument("--document", action="append", help="only edges cited by this document")
    _add_evidence(neighbors, evidence="asserted", expand="none")
    neighbors.set_defaults(func=lambda args: _run(_neighbors, load_index, args))

    paths = subparsers.add_parser("paths", help="paths between two nodes, with citations")
    paths.add_argument("source", help="start node (id, IRI, label or synonym)")
    paths.add_argument("target", help="end node")
    paths.add_argument("--mode", choices=MODES, default="k_shortest")
    paths.add_argument("-k", type=int, default=5, help="paths for k_shortest (1-50)")
    paths.add_argument("--max-length", type=int, default=3, help="most hops for simple (1-5)")
    paths.add_argument("--max-paths", type=int, default=20, help="most paths for simple")
    paths.add_argument("--undirected", action="store_true", help="also walk edges against their direction")
    paths.add_argument("--via", help="a node every path must pass through")
    paths.add_argument("--exclude-predicate", action="append")
    paths.add_argument("--exclude-category", action="append")
    paths.add_argument("--exclude-node", action="append")
    paths.add_argument("--timeout-ms", type=int, default=DEFAULT_TIMEOUT_MS)
    _add_filters(paths)
    _add_evidence(paths, evidence="pooled", expand="hierarchy")
    paths.set_defaults(func=lambda args: _run(_paths, load_index, args))

    finder = subparsers.add_parser("search", help="find nodes by name (autocomplete)")
    finder.add_argument("text")
    finder.add_argument("--category", action="append")
    finder.add_argument("--limit", type=int, default=20)
    finder.set_defaults(func=lambda args: _run(_search, load_index, args))

    conflicts = subparsers.add_parser("conflicts", help="pairs the documents state with opposite signs or with "
                                      "different certainty, one line each with the documents on each side")
    conflicts.add_argument("--kind", choices=KINDS, help="only this kind of conflict")
    conflicts.add_argument("--node", help="only pairs with this node as subject or object")
    conflicts.add_argument("--limit", type=int, default=100, help="most conflicts to show (1-1000)")
    conflicts.set_defaults(func=lambda args: _run(_conflicts, load_index, args))

    explanation = subparsers.add_parser("explain", help="how one node leads to another, or what drives a node and "
                                        "what it drives, in words, each step cited")
    explanation.add_argument("source", help="start node, or the node to explain (id, IRI, label or synonym)")
    explanation.add_argument("target", nargs="?", help="end node (leave out: the source's drivers and effects)")
    explanation.add_argument("-k", type=int, default=3, help="paths, or drivers and effects, to explain (1-50)")
    explanation.add_argument("--format", choices=EXPLAIN_FORMATS, default="markdown")
    explanation.add_argument("--expand", choices=EXPANSIONS, default="hierarchy", help=EXPAND_HELP)
    explanation.set_defaults(func=lambda args: _run(_explain, load_index, args))


EXPAND_HELP = ("walk the concept hierarchy: none; members (a pathway or family answers through its members); "
               "hierarchy (also a claim's subject through its groups)")


def _add_evidence(parser: argparse.ArgumentParser, *, evidence: str, expand: str) -> None:
    parser.add_argument("--evidence", choices=EVIDENCE_MODES, default=evidence,
                        help="asserted: one edge per predicate; pooled: a pair's edges of one polarity merged")
    parser.add_argument("--expand", choices=EXPANSIONS, default=expand, help=EXPAND_HELP)


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--predicate", action="append", help="only edges with this predicate (repeatable)")
    parser.add_argument("--category", action="append", help="only nodes of this category (repeatable)")


def _run(handler, load_index, args, out: TextIO | None = None) -> int:
    try:
        handler(load_index(), args, out or sys.stdout)  # looked up now: tests and callers may swap stdout
    except KGError as error:
        print(f"error: {error.message}", file=sys.stderr)
        for candidate in (error.detail or {}).get("candidates", []) if isinstance(error.detail, dict) else []:
            print(f"  {candidate['id']}  {candidate['label']}  [{candidate['category']}]", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader stopped early (`kg explain ... | head`): not an error
        # what is still buffered would fail again at exit: send it nowhere (Python's documented recipe)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _node(node: Node) -> str:
    return f"{node.label} ({node.id})"


def _print_edge(edge: Edge, out: TextIO, indent: str = "  ") -> None:
    print(f"{indent}{edge.subject.label} -[{edge.predicate} {_SIGNS[edge.sign]}]-> {edge.object.label}", file=out)
    if edge.background:
        provenance = edge.provenance
        print(f"{indent}    background knowledge: {provenance.source_record} ({provenance.primary_knowledge_source}): "
              f"{provenance.note}", file=out)
    for step in edge.through:
        print(f"{indent}    through {step.relation} {step.subject.label} -[{step.predicate}]-> {step.object.label} "
              f"[{', '.join(step.documents)}]", file=out)
    for citation in edge.citations:
        print(f"{indent}    {citation.document} @ {citation.locator} ({citation.certainty}): {citation.statement}",
              file=out)


def _neighbors(index: GraphIndex, args, out: TextIO) -> None:
    result = neighborhood(
        index, args.node, depth=args.depth, direction=args.direction, predicates=args.predicate,
        categories=args.category, documents=args.document, limit=args.limit, evidence=args.evidence,
        expand=args.expand,
    )
    seeds = ", ".join(_node(seed) for seed in result.seeds)
    print(f"{len(result.nodes) - len(result.seeds)} nodes within {result.depth} hop(s) of {seeds}"
          + (" (truncated: raise --limit or add filters)" if result.truncated else ""), file=out)
    for item in result.nodes[len(result.seeds):]:
        print(f"  hop {item.hop}  {_node(item.node)}  [{item.node.category}]", file=out)
    print(f"{len(result.edges)} edges:", file=out)
    for edge in result.edges:
        _print_edge(edge, out)


def _paths(index: GraphIndex, args, out: TextIO) -> None:
    result = find_paths(
        index, args.source, args.target, mode=args.mode, k=args.k, max_length=args.max_length,
        max_paths=args.max_paths, directed=not args.undirected, predicates=args.predicate,
        exclude_predicates=args.exclude_predicate, categories=args.category,
        exclude_categories=args.exclude_category, exclude_nodes=args.exclude_node, via=args.via,
        timeout_ms=args.timeout_ms, evidence=args.evidence, expand=args.expand,
    )
    flags = [flag for flag, on in (("truncated", result.truncated), ("timed out", result.timed_out)) if on]
    print(f"{len(result.paths)} path(s) from {_node(result.sources[0])} to {_node(result.targets[0])}"
          + (f" ({', '.join(flags)})" if flags else ""), file=out)
    for number, path in enumerate(result.paths, 1):
        chain = path.nodes[0].label + "".join(
            f" -[{edge.predicate}]- {node.label}" for edge, node in zip(path.edges, path.nodes[1:], strict=True)
        )
        print(f"\n{number}. {path.length} hop(s), sign {_SIGNS[path.sign]}, {path.support} citation(s): {chain}",
              file=out)
        for edge in path.edges:
            _print_edge(edge, out, indent="   ")


def _search(index: GraphIndex, args, out: TextIO) -> None:
    result = search(index, args.text, category=args.category, limit=args.limit)
    print(f"{result.total} match(es) for {result.query!r}" + (" (more: raise --limit)" if result.truncated else ""),
          file=out)
    for hit in result.items:
        print(f"  {hit.match:9}  {hit.node.id}  {hit.node.label}  [{hit.node.category}]"
              + (f"  (as {hit.matched!r})" if hit.matched != hit.node.label else ""), file=out)


def _side(side: ConflictSide) -> str:
    return f"{', '.join(side.predicates)} [{', '.join(side.documents)}]"


def _conflict_line(conflict: Conflict) -> str:
    pair = f"{conflict.subject.label} -> {conflict.object.label}"
    if conflict.kind == "opposite_signs":
        return f"opposite signs  {pair}: + {_side(conflict.positive)} vs - {_side(conflict.negative)}"
    levels: dict[str, list[str]] = {}
    for entry in conflict.certainties:
        levels.setdefault(entry.certainty, []).append(entry.document)
    documents = " vs ".join(f"{certainty} [{', '.join(docs)}]" for certainty, docs in levels.items())
    return f"certainty       {pair} ({', '.join(conflict.predicates)}, {conflict.polarity}): {documents}"


def _explain(index: GraphIndex, args, out: TextIO) -> None:
    explanation = (explain(index, args.source, args.target, k=args.k, expand=args.expand) if args.target
                   else explain_node(index, args.source, k=args.k, expand=args.expand))
    if args.format == "json":
        print(json.dumps(explanation.to_dict(), ensure_ascii=False, indent=1), file=out)
    else:
        print(explanation.to_html() if args.format == "html" else explanation.to_markdown(), file=out)


def _conflicts(index: GraphIndex, args, out: TextIO) -> None:
    page = find_conflicts(index, kind=args.kind, node=args.node, limit=args.limit)
    print(f"{page.total} conflict(s)" + (" (more: raise --limit)" if page.truncated else ""), file=out)
    for conflict in page.conflicts:
        print(f"  {_conflict_line(conflict)}", file=out)
