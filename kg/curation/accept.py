"""Move accepted candidates into a document's statements (``kg curate accept ID N [N...]``).

Candidate N is the N-th of ``data/candidates/ID.yaml`` (1 is the first). Each accepted candidate
leaves the candidates file and is appended to ``data/statements/ID.yaml`` as a statement record:
subject, predicate, object and its citations' locators and certainties; the sign, basis and cue
of the proposal are dropped. The paraphrase is the curator's to write, so every citation gets an
empty ``statement`` marked with a TODO comment, which ``kg build`` refuses with the file and line
until it is written. The statements file is appended to, never rewritten, so the curator's
comments and layout stay; a triple it already holds is refused (add the citation there by hand).

>>> print(statement_text({"subject": "a", "predicate": "promotes", "object": "b", "sign": 1,
...                       "citations": [{"locator": "body/p1/s1", "certainty": "stated", "basis": "cue"}]}), end="")
- subject: a
  predicate: promotes
  object: b
  citations:
  - locator: body/p1/s1
    certainty: stated
    statement: ''  # TODO: the paraphrase, in your own words (`kg build` refuses it empty)
"""

from __future__ import annotations

from itertools import takewhile
from pathlib import Path

import yaml

from kg.curation.review import read_candidates
from kg.curation.suggest import records_yaml
from kg.errors import CurationError

TODO = "''  # TODO: the paraphrase, in your own words (`kg build` refuses it empty)"


def statement_text(candidate: dict) -> str:
    """A candidate as a ``data/statements`` record, in YAML, its paraphrases left to write."""
    lines = [f"- subject: {candidate['subject']}", f"  predicate: {candidate['predicate']}",
             f"  object: {candidate['object']}", "  citations:"]
    for citation in candidate["citations"]:
        lines += [f"  - locator: {citation['locator']}", f"    certainty: {citation['certainty']}",
                  f"    statement: {TODO}"]
    return "\n".join(lines) + "\n"


def _held_triples(path: Path) -> set[tuple[str, str, str]]:
    """The triples a statements file already holds (none if there is no file)."""
    if not path.is_file():
        return set()
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise CurationError(f"{path}: not valid YAML: {error}") from error
    return {(s["subject"], s["predicate"], s["object"]) for s in content.get("statements") or []}


def accept(document: str, numbers: list[int], data: Path) -> list[dict]:
    """Move candidates ``numbers`` of ``document`` from its candidates file to its statements file
    (see the module docstring); the accepted candidates, in file order."""
    candidates_path = data / "candidates" / f"{document}.yaml"
    statements_path = data / "statements" / f"{document}.yaml"
    if not candidates_path.is_file():
        raise CurationError(f"no {candidates_path}: `kg curate suggest {document}` writes it")
    content = read_candidates(candidates_path)
    proposed = content["candidates"]
    wrong = sorted({n for n in numbers if not 1 <= n <= len(proposed)})
    if wrong:
        raise CurationError(f"{candidates_path} has candidates 1 to {len(proposed)}; no {', '.join(map(str, wrong))}")
    accepted = [proposed[n - 1] for n in sorted(set(numbers))]
    held = _held_triples(statements_path)
    for candidate in accepted:
        if (triple := (candidate["subject"], candidate["predicate"], candidate["object"])) in held:
            raise CurationError(f"{statements_path} already holds {' '.join(triple)}: add the citation there by hand")
    text = statements_path.read_text(encoding="utf-8") if held else f"document: {document}\nstatements:\n"
    statements_path.parent.mkdir(parents=True, exist_ok=True)
    statements_path.write_text(text.rstrip("\n") + "\n" + "".join(map(statement_text, accepted)), encoding="utf-8")
    header = "".join(takewhile(lambda line: line.startswith("#"),
                               candidates_path.read_text(encoding="utf-8").splitlines(keepends=True)))
    kept = [c for n, c in enumerate(proposed, 1) if n not in numbers]
    candidates_path.write_text(header + records_yaml({"document": document, "new_terms": content["new_terms"],
                                                      "candidates": kept}), encoding="utf-8")
    return accepted
