"""``kg curate add|suggest|review|accept``: bring the next document into the graph.

``add`` writes the document's text into the sources directory and its entry into
``data/documents.yaml`` and prints the sentence table; ``suggest`` writes candidate statements
to ``data/candidates/ID.yaml`` (never into the graph); ``review`` shows each sentence with its
mentions, candidates and curated statements, as an HTML page and in the terminal; ``accept``
moves numbered candidates into ``data/statements/ID.yaml``, their paraphrases left to write.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.curation.loader import DEFAULT_DATA
from kg.errors import NotFoundError

REVIEW_DIR = Path(__file__).resolve().parent / "built" / "review"


def _data(args: argparse.Namespace) -> Path:
    return Path(args.data or DEFAULT_DATA)


def _add(args: argparse.Namespace) -> None:
    from kg.curation.intake import add_document, sentence_row

    intake = add_document(args.file, args.id, args.sources, _data(args))
    entry = intake.entry
    print(f"added {entry['id']}: {entry['file']} in {args.sources} (SHA-256 {entry['sha256'][:12]}…), "
          f"layout {entry['layout']['kind']}, {len(entry['layout'].get('sections', []))} section(s), "
          f"{len(intake.sentences)} sentences, {len(entry['references'])} reference entries")
    print(f"complete its entry in {_data(args) / 'documents.yaml'} (marked TODO)")
    for note in intake.notes:
        print(f"  check: {note}")
    print()
    for sentence in intake.sentences:
        print(sentence_row(entry["id"], intake.text, sentence))


def _suggest(args: argparse.Namespace) -> None:
    from kg.curation import loader
    from kg.curation.suggest import candidates_yaml, suggest

    curated = loader.load(args.data)
    if args.id not in curated.documents:
        raise NotFoundError(f"no document {args.id!r} in documents.yaml; `kg curate add FILE --id ID` adds it")
    document = curated.documents[args.id]
    suggestions = suggest(document, document.read_source(args.sources), curated)
    output = args.output or _data(args) / "candidates" / f"{args.id}.yaml"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(candidates_yaml(suggestions), encoding="utf-8")
    print(f"{len(suggestions.candidates)} candidate statements, {suggestions.mention_count} mentions in "
          f"{suggestions.sentence_count} sentences, {len(suggestions.new_terms)} frequent unknown terms -> {output}")


def _review(args: argparse.Namespace) -> None:
    from kg.curation import loader
    from kg.curation.review import read_candidates, render_html, render_terminal, review

    curated = loader.load(args.data)
    path = _data(args) / "candidates" / f"{args.id}.yaml"
    proposed = read_candidates(path) if path.is_file() else {}
    text, rows = review(args.id, curated, args.sources, proposed.get("candidates"))
    output = args.output or REVIEW_DIR / f"{args.id}.html"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_html(args.id, text, rows, proposed.get("new_terms", [])), encoding="utf-8")
    if not args.quiet:
        print(render_terminal(text, rows), end="")
    print(f"review page -> {output}" + ("" if path.is_file() else f" (no {path}: candidates proposed now)"))


def _accept(args: argparse.Namespace) -> None:
    from kg.curation.accept import accept

    statements = _data(args) / "statements" / f"{args.id}.yaml"
    for candidate in accept(args.id, args.numbers, _data(args)):
        print(f"{candidate['subject']} {candidate['predicate']} {candidate['object']}: "
              f"{len(candidate['citations'])} citation(s) -> {statements}")
    print(f"write each paraphrase marked TODO in {statements}: `kg build` refuses an empty one")


def register(subparsers: argparse._SubParsersAction, add_sources) -> None:
    """Add ``kg curate`` and its subcommands; ``add_sources(parser)`` adds the --sources option."""
    curate = subparsers.add_parser("curate", help="add a document, propose its statements, review them")
    steps = curate.add_subparsers(dest="step", required=True, metavar="STEP")

    add = steps.add_parser("add", help="take in a new source document (Markdown, text, HTML, PDF)")
    add.add_argument("file", type=Path)
    add.add_argument("--id", required=True, help="the document id, e.g. smith2026")
    add_sources(add)
    add.set_defaults(run=_add)

    suggest = steps.add_parser("suggest", help="write candidate statements to data/candidates/ID.yaml")
    suggest.add_argument("id")
    suggest.add_argument("-o", "--output", type=Path, help="candidates file (default data/candidates/ID.yaml)")
    add_sources(suggest)
    suggest.set_defaults(run=_suggest)

    show = steps.add_parser("review", help="the document with mentions, candidates and curated statements")
    show.add_argument("id")
    show.add_argument("-o", "--output", type=Path, help=f"HTML page (default {REVIEW_DIR}/ID.html)")
    show.add_argument("-q", "--quiet", action="store_true", help="write the page only, no terminal listing")
    add_sources(show)
    show.set_defaults(run=_review)

    take = steps.add_parser("accept", help="move candidates N... of data/candidates/ID.yaml to data/statements/")
    take.add_argument("id")
    take.add_argument("numbers", type=int, nargs="+", metavar="N", help="candidate number, 1 for the first in the file")
    take.set_defaults(run=_accept)
