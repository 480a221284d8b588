"""Cut a source document into sections, paragraphs and sentences: the locator scheme.

A locator names a passage as ``section/pN/sM`` (or ``section/pN/sM-K`` for a run of sentences):
the section is the slug of the heading that opens it (``introduction``, ``description``,
``conclusion``; ``body`` or ``answer`` for documents without headings), N counts the paragraphs
of that section from 1, and M the sentences of that paragraph from 1. Character offsets index
the file decoded as UTF-8 (code points, not bytes), so ``text[start:end]`` is the passage.

Each document's layout (``data/documents.yaml``) says how its file is built, so the quirks of
extraction (hard wraps, literal ``\\n\\n`` paragraph breaks, page headers inside sentences, a
paragraph split by a stray blank line, a repeated title, a YAML front matter) never shift a
locator. Noise such as a running header is masked by spaces of the same length, which keeps
every offset true to the file.

>>> text = "Introduction\\nOne claim here. A second one [2].\\n\\nConclusion\\nDone."
>>> [s.locator for s in segment(text, {"kind": "wrapped-text", "sections": ["Introduction", "Conclusion"]})]
['introduction/p1/s1', 'introduction/p1/s2', 'conclusion/p1/s1']
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from kg.errors import CurationError, NotFoundError

CITATION_MARK = re.compile(r"\[(\d+)\]")
# a sentence ends at . ! or ? (maybe closed by a quote, bracket or bold marker) before a capital,
# a digit, a quote or an opening bracket; "1. **Point**" does not end a sentence.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]*]*\s+(?=[A-Z0-9\"'(\[])")
TERMINAL = re.compile(r"[.!?][\"')\]*]*\s*$")
LOCATOR = re.compile(r"^(?P<section>[a-z0-9-]+)/p(?P<paragraph>\d+)/s(?P<first>\d+)(?:-(?P<last>\d+))?$")
ESCAPED_BREAK = "\\n"


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document: where it stands and which numbered reference governs it."""

    section: str
    paragraph: int
    index: int
    start: int
    end: int
    reference: int | None

    @property
    def locator(self) -> str:
        return f"{self.section}/p{self.paragraph}/s{self.index}"


@dataclass(frozen=True)
class Passage:
    """A located span of a document: one sentence or a run of sentences of one paragraph."""

    document: str
    locator: str
    start: int
    end: int
    sha256: str
    reference: int | None


def span_hash(text: str) -> str:
    """SHA-256 (hex) of a passage's text encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def slug(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def mask(text: str, layout: dict) -> str:
    """``text`` with noise (running headers, escaped line breaks) blanked, offsets unchanged."""
    masked = text.replace(ESCAPED_BREAK, "  ")
    for pattern in layout.get("noise", []):
        masked = re.sub(pattern, lambda m: " " * len(m.group()), masked, flags=re.M)
    return masked


def _lines(text: str):
    """(start, end) of every line, without its newline."""
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def _split_escaped(masked: str, start: int, end: int, raw: str):
    """Paragraph spans of a line that separates paragraphs with a literal ``\\n\\n``."""
    pos = start
    for m in re.finditer(re.escape(ESCAPED_BREAK * 2), raw[start:end]):
        yield pos, start + m.start()
        pos = start + m.end()
    yield pos, end


def _blocks(text: str, masked: str, layout: dict):
    """(heading or None, start, end) for headings and raw paragraph blocks, in file order."""
    kind = layout["kind"]
    headings = {h.lower() for h in layout.get("sections", [])} | {layout.get("end", "").lower()}
    if kind == "yaml-field":
        yield from _yaml_field_blocks(text, layout["field"])
        return
    block = None
    for number, (start, end) in enumerate(_lines(text)):
        line = masked[start:end].strip()
        heading = line.lstrip("#").strip().lower() if kind == "markdown" else line.lower()
        if kind == "line-per-paragraph" and number == 0:
            continue  # the title line
        if heading and heading in headings and (kind != "markdown" or line.startswith("#")):
            if block:
                yield None, *block
                block = None
            yield heading, start, end
        elif not line:
            if block:
                yield None, *block
                block = None
        elif kind == "escaped-paragraphs":
            yield from ((None, s, e) for s, e in _split_escaped(masked, start, end, text))
        elif kind in ("markdown", "line-per-paragraph") or block is None:
            if block:
                yield None, *block
            block = (start, end)
        else:  # wrapped-text: a paragraph's lines run on until a blank line
            block = (block[0], end)
    if block:
        yield None, *block


def _yaml_field_blocks(text: str, field: str):
    """Paragraphs of a folded YAML string field whose breaks are literal ``\\n\\n``."""
    m = re.search(rf"^{re.escape(field)}:\s*>-?\s*\n((?:[ \t]+.*\n?)+)", text, flags=re.M)
    if not m:
        raise CurationError(f"the YAML field {field!r} is not in the document")
    start, end = m.span(1)
    yield field, start, start
    for s, e in _split_escaped(text, start, end, text):
        yield None, s, e


def _paragraphs(text: str, masked: str, layout: dict):
    """(section slug, start, end) of each paragraph, with the layout's join rules applied."""
    kind = layout["kind"]
    section = None if layout.get("sections") else ("body" if kind != "yaml-field" else None)
    end_heading = layout.get("end", "").lower()
    paragraphs: list[list] = []
    pending = None
    for heading, start, end in _blocks(text, masked, layout):
        if heading is not None:
            if heading == end_heading:
                break
            section, pending = slug(heading), None
            continue
        if section is None or not masked[start:end].strip():
            continue
        if pending is not None:
            pending[2] = end
        else:
            pending = [section, start, end]
            paragraphs.append(pending)
        body = masked[pending[1]:pending[2]]
        unterminated = layout.get("join_unterminated_blocks") and not TERMINAL.search(body)
        uncited = layout.get("join_uncited_blocks") and not CITATION_MARK.search(body)
        if not (unterminated or uncited):
            pending = None
    return [tuple(p) for p in paragraphs]


def _sentence_spans(masked: str, start: int, end: int):
    pos = start
    for m in SENTENCE_END.finditer(masked, start, end):
        yield pos, m.start()
        pos = m.end()
    yield pos, end


def _trim(masked: str, start: int, end: int) -> tuple[int, int]:
    while start < end and masked[start].isspace():
        start += 1
    while end > start and masked[end - 1].isspace():
        end -= 1
    return start, end


def _governing_references(marks: list[list[int]]) -> list[int | None]:
    """A sentence's reference: its own [n]; else the last one before it in the paragraph;
    else the first one after it (documents that cite at the end of the paragraph)."""
    governing, last = [], None
    for own in marks:
        last = own[-1] if own else last
        governing.append(own[0] if own else last)
    following = None
    for i in range(len(marks) - 1, -1, -1):
        following = marks[i][0] if marks[i] else following
        if governing[i] is None:
            governing[i] = following
    return governing


def segment(text: str, layout: dict) -> list[Sentence]:
    """Every sentence of the document's prose, in order, under the layout's segmentation."""
    masked = mask(text, layout)
    sentences: list[Sentence] = []
    counters: dict[str, int] = {}
    for section, start, end in _paragraphs(text, masked, layout):
        counters[section] = counters.get(section, 0) + 1
        spans = [_trim(masked, s, e) for s, e in _sentence_spans(masked, start, end)]
        spans = [(s, e) for s, e in spans if e > s]
        marks = [[int(n) for n in CITATION_MARK.findall(masked[s:e])] for s, e in spans]
        for index, ((s, e), ref) in enumerate(zip(spans, _governing_references(marks), strict=True), 1):
            sentences.append(Sentence(section, counters[section], index, s, e, ref))
    return sentences


def parse_locator(locator: str) -> tuple[str, int, int, int]:
    """``'introduction/p3/s2-4'`` -> ``('introduction', 3, 2, 4)``.

    >>> parse_locator("answer/p4/s2")
    ('answer', 4, 2, 2)
    """
    m = LOCATOR.match(locator)
    if not m:
        raise CurationError(f"locator {locator!r} is not of the form section/pN/sM or section/pN/sM-K")
    first = int(m["first"])
    last = int(m["last"] or first)
    if last < first:
        raise CurationError(f"locator {locator!r} ends before it starts")
    return m["section"], int(m["paragraph"]), first, last


def locate(document: str, text: str, sentences: list[Sentence], locator: str) -> Passage:
    """The passage that ``locator`` names in a segmented document."""
    section, paragraph, first, last = parse_locator(locator)
    run = [s for s in sentences if s.section == section and s.paragraph == paragraph
           and first <= s.index <= last]
    if len(run) != last - first + 1:
        raise NotFoundError(f"{document} has no passage {locator}")
    own = [s.reference for s in run if s.reference is not None]
    start, end = run[0].start, run[-1].end
    return Passage(document, locator, start, end, span_hash(text[start:end]), own[0] if own else None)
