"""``kg release VERSION`` and ``kg diff OLD NEW``: versioned releases and what changed between two
versions of the graph (release folders, graph files or git revisions), claim by claim."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from kg.release.diff import FORMATS

DIST = Path(__file__).resolve().parents[1] / "dist"


def _release(args: argparse.Namespace) -> None:
    from kg.curation.build import build
    from kg.release.publish import latest_release, valid_version, write_release

    version = valid_version(args.version)
    previous = args.previous or latest_release(args.dist, version)
    with tempfile.TemporaryDirectory() as scratch:
        graph_file = Path(scratch) / "metastasis-kg.nt"
        build(args.data, output=graph_file)
        release = write_release(version, graph_file, args.dist, previous, args.date)
    counts = release.record["counts"]
    print(f"released {version} -> {release.folder}: {counts['entities']} entities, {counts['claims']} claims, "
          f"{counts['citations']} citations, {len(release.record['files'])} files recorded with their SHA-256"
          + (f"; changes against {previous} in CHANGELOG.md" if previous else "; the first release"))
    if release.missing_formats:
        print(f"the export offers no {', '.join(release.missing_formats)}: left out of this release")


def _diff(args: argparse.Namespace) -> None:
    from kg.release.diff import compare, render
    from kg.release.snapshot import load_snapshot

    text = render(compare(load_snapshot(args.old), load_snapshot(args.new)), args.format, args.old, args.new)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``release`` and ``diff`` subcommands."""
    release = subparsers.add_parser("release", help="build the graph and write dist/metastasis-kg-VERSION/")
    release.add_argument("version", help="the release version, e.g. 1.0.0")
    release.add_argument("--dist", type=Path, default=DIST, help=f"where releases go (default {DIST})")
    release.add_argument("--previous", help="release folder, graph file or git revision the changelog compares "
                         "with (default: the newest release in --dist)")
    release.add_argument("--date", help="release date, YYYY-MM-DD (default today)")
    release.set_defaults(run=_release)

    diff = subparsers.add_parser("diff", help="entities and claims added, removed and changed between two versions")
    diff.add_argument("old", help="release folder, graph file (.nt, .nt.gz, .ttl, .jsonld) or git revision")
    diff.add_argument("new", help="the same kinds as OLD")
    diff.add_argument("--format", choices=FORMATS, default="text")
    diff.add_argument("-o", "--output", type=Path, help="write to this file (default: standard output)")
    diff.set_defaults(run=_diff)
