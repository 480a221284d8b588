"""One view of a document for its reviewer (``kg curate review ID``): every sentence with the known
nodes it names highlighted, the candidate statements proposed from it, and what is already curated
from that passage; as an HTML page and as a terminal listing.

The page is built from the source at review time and written outside ``data/`` (the project never
stores a document's sentences); every piece of text is escaped.

>>> marked("Hypoxia drives EMT.", 0, [Mention("hypoxia", 0, 7, "Hypoxia")], _html_mark)
'<mark title="hypoxia">Hypoxia</mark> drives EMT.'
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from kg.curation.mentions import Mention, NameMatcher
from kg.curation.model import CuratedGraph
from kg.curation.sources import Sentence, mask, parse_locator, segment
from kg.curation.suggest import records, sentence_mentions, suggest
from kg.errors import CurationError, NotFoundError

SIGNS = {1: "+", -1: "−", 0: "·"}
STYLE = """body{font:15px/1.5 system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222}
table{border-collapse:collapse;width:100%}td{vertical-align:top;border-top:1px solid #ddd;padding:.4em}
td.loc{font:12px monospace;color:#666;white-space:nowrap}td.side{width:40%;font-size:13px}
mark{background:#fde68a;border-radius:3px}ul{margin:0;padding-left:1.1em}.cand{color:#1d4ed8}
.cur{color:#166534}.terms li{display:inline;margin-right:1em}"""


@dataclass
class SentenceReview:
    """A sentence with what the reviewer needs beside it."""

    sentence: Sentence
    mentions: list[Mention]
    candidates: list[str]  # "subject promotes(+) object [certainty: cue]"
    curated: list[str]  # "subject predicate object: paraphrase"


def _covers(locator: str, sentence: Sentence) -> bool:
    """A locator's run ends at this sentence (a candidate is shown once, beside its last sentence)."""
    section, paragraph, _, last = parse_locator(locator)
    return (section, paragraph, last) == (sentence.section, sentence.paragraph, sentence.index)


def _overlaps(locator: str, sentence: Sentence) -> bool:
    section, paragraph, first, last = parse_locator(locator)
    return (section, paragraph) == (sentence.section, sentence.paragraph) and first <= sentence.index <= last


def read_candidates(path: Path) -> dict:
    """A ``data/candidates/ID.yaml`` file: ``{"candidates": [...], "new_terms": [...]}``."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise CurationError(f"{path}: cannot read the candidates: {error}") from error
    if not isinstance(content, dict):
        raise CurationError(f"{path}: a candidates file is a mapping with `candidates:` and `new_terms:`")
    return {"candidates": content.get("candidates") or [], "new_terms": content.get("new_terms") or []}


def review(document_id: str, curated: CuratedGraph, sources: Path, candidates: list[dict] | None = None):
    """(source text, per-sentence reviews) of a document; ``candidates`` as read from its candidates
    file, or proposed now when None."""
    if document_id not in curated.documents:
        raise NotFoundError(f"no document {document_id!r} in documents.yaml")
    document = curated.documents[document_id]
    text = document.read_source(sources)
    masked = mask(text, document.layout)
    sentences = segment(text, document.layout)
    matcher = NameMatcher({node.id: node.names for node in curated.nodes.values()})
    tags = sentence_mentions(masked, sentences, matcher)
    if candidates is None:
        candidates = records(suggest(document, text, curated))["candidates"]
    rows = []
    for sentence in sentences:
        proposed = [f"{c['subject']} {c['predicate']}({SIGNS[c.get('sign', 0)]}) {c['object']} "
                    f"[{cc['certainty']}: {cc.get('cue') or cc.get('basis')}]"
                    for c in candidates for cc in c["citations"] if _covers(cc["locator"], sentence)]
        done = [f"{s.subject} {s.predicate} {s.object}: {c.statement}" for s in curated.statements
                for c in s.citations if c.document == document_id and _overlaps(c.locator, sentence)]
        rows.append(SentenceReview(sentence, tags[sentence.locator], proposed, done))
    return text, rows


def marked(text: str, start: int, mentions: list[Mention], mark: Callable[[str, str], str],
           end: int | None = None) -> str:
    """``text[start:end]`` with each mention wrapped by ``mark(surface, node)``; the rest escaped
    the way ``mark`` escapes (HTML for the page, nothing for the terminal)."""
    end = len(text) if end is None else end
    escape = html.escape if mark is _html_mark else str
    out, pos = [], start
    for m in mentions:
        out += [escape(text[pos:m.start]), mark(text[m.start:m.end], m.node)]
        pos = m.end
    out.append(escape(text[pos:end]))
    return " ".join("".join(out).split())


def _html_mark(surface: str, node: str) -> str:
    return f'<mark title="{html.escape(node)}">{html.escape(surface)}</mark>'


def _terminal_mark(surface: str, node: str) -> str:
    return f"«{surface}»"


def render_html(document_id: str, text: str, rows: list[SentenceReview], new_terms: list[dict]) -> str:
    """The review page: one table row per sentence, candidates and curated statements beside it."""
    cells = []
    for row in rows:
        s = row.sentence
        side = "".join(f'<li class="cand">{html.escape(c)}</li>' for c in row.candidates)
        side += "".join(f'<li class="cur">{html.escape(c)}</li>' for c in row.curated)
        cells.append(f'<tr id="{s.locator}"><td class="loc">{s.locator}</td>'
                     f"<td>{marked(text, s.start, row.mentions, _html_mark, s.end)}</td>"
                     f'<td class="side"><ul>{side}</ul></td></tr>')
    terms = "".join(f"<li>{html.escape(str(t['term']))} ({t['count']})</li>" for t in new_terms)
    counts = (f"{len(rows)} sentences, {sum(len(r.mentions) for r in rows)} mentions, "
              f"{sum(len(r.candidates) for r in rows)} candidate citations, "
              f"{sum(len(r.curated) for r in rows)} curated citations")
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>Review {html.escape(document_id)}</title>"
            f"<style>{STYLE}</style><h1>Review of {html.escape(document_id)}</h1><p>{counts}. "
            '<span class="cand">Blue</span>: candidates (data/candidates); <span class="cur">green</span>: '
            f"curated (data/statements).</p><p>Frequent terms no node names:</p><ul class=terms>{terms}</ul>"
            f"<table>{''.join(cells)}</table></html>\n")


def render_terminal(text: str, rows: list[SentenceReview]) -> str:
    """The review as lines: each sentence that names a node, then ``+`` candidates and ``=`` curated."""
    lines = []
    for row in rows:
        if not (row.mentions or row.candidates or row.curated):
            continue
        s = row.sentence
        lines.append(f"{s.locator}\t{marked(text, s.start, row.mentions, _terminal_mark, s.end)}")
        lines += [f"    + {c}" for c in row.candidates] + [f"    = {c}" for c in row.curated]
    return "\n".join(lines) + "\n"
