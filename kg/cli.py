"""The ``kg`` command line: build, validate, export and query the curated graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.errors import KGError

DEFAULT_SOURCES = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def _sentences(args: argparse.Namespace) -> None:
    from kg.curation import load_documents
    from kg.sources import segment

    for document in load_documents(args.data):
        if args.document and document.id != args.document:
            continue
        text = document.read_source(args.sources)
        for s in segment(text, document.layout):
            ref = f"[{s.reference}]" if s.reference else "[-]"
            print(f"{document.id}\t{s.locator}\t{ref}\t{' '.join(text[s.start:s.end].split())}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description=__doc__)
    parser.add_argument("--data", type=Path, default=None, help="curated data directory (default: the project's data/)")
    commands = parser.add_subparsers(dest="command", required=True)

    sentences = commands.add_parser("sentences", help="print each sentence of the sources with its locator (for curators)")
    sentences.add_argument("document", nargs="?", help="only this document id")
    sentences.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="directory of the source documents")
    sentences.set_defaults(run=_sentences)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except KGError as error:
        print(f"kg {args.command}: {error.message}", file=sys.stderr)
        return 1
    return 0
