"""How well ``kg curate suggest`` would have served the curators of the five documents.

Runs the suggester on each curated document (read from the sources at run time; nothing of
their text is written) and compares its candidates with the curated statements of that
document:

- recall: a curated statement (one record of ``data/statements/DOC.yaml``) is recalled when a
  candidate relates the same two nodes with a locator sharing a sentence with one of its
  citations, in either orientation;
- candidates per statement: candidate statements proposed / curated statements;
- direction: of the recalled statements, the share whose best matching candidate has the
  curated orientation (subject and object not swapped; either way for a symmetric predicate
  proposed for a symmetric one) and the curated predicate's sign (+1, -1 or 0); orientation and
  sign are also reported on their own;
- readings: recalled statements every citation of which, in this document, is ``implied``: the
  curator read the relation into a passage whose words do not state it, so no cue can carry its
  direction. ``direction_worded`` is the direction of the other recalled statements; the target
  is on the plain ``direction``.

Targets (issue 14): recall >= 0.80, <= 4 candidates per statement, direction >= 0.90.

    python -m bench.curation_suggest [--sources ../shared/seeds] [--data data] [--json]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from kg.cli import DEFAULT_SOURCES
from kg.curation import loader
from kg.curation.model import CuratedGraph
from kg.curation.sources import parse_locator
from kg.curation.suggest import Candidate, suggest

TARGETS = {"recall": 0.80, "candidates_per_statement": 4.0, "direction": 0.90}
# the predicates whose definitions (data/predicates.yaml) give no direction between subject and object
SYMMETRIC = frozenset(("associated_with", "interacts_with"))
COUNTS = ("statements", "candidates", "recalled", "oriented", "signed", "directed", "readings", "readings_directed")


@dataclass
class Score:
    document: str
    statements: int = 0
    candidates: int = 0
    recalled: int = 0
    oriented: int = 0
    signed: int = 0
    directed: int = 0
    readings: int = 0
    readings_directed: int = 0

    def add(self, other: Score) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict:
        def share(part: int, whole: int) -> float:
            return round(part / whole, 3) if whole else 0.0
        return {"document": self.document, "statements": self.statements, "candidates": self.candidates,
                "recall": share(self.recalled, self.statements),
                "candidates_per_statement": share(self.candidates, self.statements),
                "direction": share(self.directed, self.recalled), "orientation": share(self.oriented, self.recalled),
                "sign": share(self.signed, self.recalled), "readings": self.readings,
                "direction_worded": share(self.directed - self.readings_directed, self.recalled - self.readings)}


def overlaps(first: str, second: str) -> bool:
    """Two locators share a sentence.

    >>> overlaps("introduction/p2/s1-3", "introduction/p2/s3"), overlaps("body/p1/s1", "body/p2/s1")
    (True, False)
    """
    a, b = parse_locator(first), parse_locator(second)
    return a[:2] == b[:2] and a[2] <= b[3] and b[2] <= a[3]


def score_document(curated: CuratedGraph, document: str, candidates: list[Candidate]) -> Score:
    """Compare one document's candidates with its curated statements (see the module docstring)."""
    signs = {name: predicate.sign for name, predicate in curated.predicates.items()}
    score = Score(document, candidates=len(candidates))
    for statement in curated.statements:
        cited = [c for c in statement.citations if c.document == document]
        locators = [c.locator for c in cited]
        if not locators:
            continue
        score.statements += 1
        pair = {statement.subject, statement.object}
        matches = [c for c in candidates if {c.subject, c.object} == pair
                   and any(overlaps(cc.locator, loc) for cc in c.citations for loc in locators)]
        if not matches:
            continue
        score.recalled += 1
        symmetric = statement.predicate in SYMMETRIC
        verdicts = [(c.subject == statement.subject or symmetric and c.predicate in SYMMETRIC,
                     c.sign == signs[statement.predicate]) for c in matches]
        oriented, signed = max(verdicts, key=lambda v: (v[0] and v[1], v))
        reading = all(c.certainty == "implied" for c in cited)
        score.oriented += oriented
        score.signed += signed
        score.directed += oriented and signed
        score.readings += reading
        score.readings_directed += reading and oriented and signed
    return score


def run(sources: Path, data: Path | None = None) -> list[dict]:
    """Figures per document and in all (last)."""
    curated = loader.load(data)
    total, rows = Score("all"), []
    for document in curated.documents.values():
        suggestions = suggest(document, document.read_source(sources), curated)
        score = score_document(curated, document.id, suggestions.candidates)
        total.add(score)
        rows.append(score.figures())
    return [*rows, total.figures()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--data", type=Path, help="curated data directory (default: the project's data/)")
    parser.add_argument("--json", action="store_true", help="one JSON line instead of the table")
    args = parser.parse_args(argv)
    rows = run(args.sources, args.data)
    total = rows[-1]
    met = {name: (total[name] <= target if name == "candidates_per_statement" else total[name] >= target)
           for name, target in TARGETS.items()}
    if args.json:
        print(json.dumps({"documents": rows[:-1], "all": total, "targets": TARGETS, "met": met}))
        return
    columns = ("document", "statements", "candidates", "recall", "candidates_per_statement", "direction",
               "orientation", "sign", "readings", "direction_worded")
    print("\t".join(columns))
    for row in rows:
        print("\t".join(str(row[c]) for c in columns))
    print("targets: " + ", ".join(f"{name} {'<=' if name == 'candidates_per_statement' else '>='} {target} "
                                  f"({'met' if met[name] else 'NOT met'})" for name, target in TARGETS.items()))


if __name__ == "__main__":
    main()
