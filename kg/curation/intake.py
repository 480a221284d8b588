"""Take a new source document in: ``kg curate add FILE --id ID``.

The file (Markdown, plain text, HTML or PDF; the last two turned into text by
``kg.curation.extract``) is written to the sources directory as the text the segmenter reads, its
layout is detected (title, headings, paragraphs one a line or hard-wrapped, YAML front matter, a
reference list and the ``[n]`` marks that cite it), and an entry for ``data/documents.yaml`` is
appended with what was found and what the curator must complete. From then on the document is
segmented under the same locator scheme as the others (``kg sentences ID``).

>>> layout = detect_layout("# A title\\n\\n## Introduction\\n\\nOne [1].\\n\\n## References\\n\\n1. An entry.\\n")
>>> layout.title, layout.layout, layout.references
('A title', {'kind': 'markdown', 'sections': ['Introduction'], 'end': 'References'}, ['An entry.'])
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kg.curation.extract import Extraction, extract_html, extract_pdf
from kg.curation.loader import DEFAULT_DATA, load_documents
from kg.curation.sources import CITATION_MARK, Sentence, segment
from kg.errors import CurationError

FORMATS = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text",
           ".html": "html", ".htm": "html", ".pdf": "pdf"}
DOCUMENT_ID = re.compile(r"[a-z][a-z0-9_]*")
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(\S.*?)\s*#*\s*$")
FRONT_MATTER = re.compile(r"\A---\n(?:.*\n)*?---\n")
REFERENCE_HEADINGS = re.compile(r"(?:references?|bibliography|literature cited|works cited|cited literature)", re.I)
ENTRY_START = re.compile(r"^\s*(?:\[(\d+)\]|(\d+)[.)]|[-*•])\s+")
PLAIN_HEADING_WORDS = 8


@dataclass
class DetectedLayout:
    """What ``detect_layout`` found in a text."""

    layout: dict
    title: str | None
    references: list[str]
    cited: list[int]  # the reference numbers the prose cites, in order of first use
    notes: list[str] = field(default_factory=list)


@dataclass
class Intake:
    """What ``add_document`` did: the entry written, the text's sentences, and what to check."""

    entry: dict
    text: str
    sentences: list[Sentence]
    notes: list[str]


def _headings(lines: list[str], markdown: bool) -> list[tuple[int, str, str]]:
    """(line number, line as written, heading name) of every heading line."""
    found = []
    for number, line in enumerate(lines):
        stripped = line.strip()
        heading = MARKDOWN_HEADING.match(stripped)
        if markdown:
            if heading:
                found.append((number, stripped, heading.group(2)))
            continue
        following = lines[number + 1].strip() if number + 1 < len(lines) else ""
        if ((number == 0 or not lines[number - 1].strip()) and stripped and stripped[0].isupper()
                and len(stripped.split()) <= PLAIN_HEADING_WORDS and not re.search(r"[.!?,;:]$", stripped)
                and not ENTRY_START.match(stripped) and (not following or len(stripped) < len(following) / 2)):
            found.append((number, stripped, stripped))
    return found


def _literal(line: str) -> str:
    """A regular expression matching ``line`` as written.

    >>> _literal("# Title (draft)")
    '# Title \\\\(draft\\\\)'
    """
    return re.sub(r"([.^$*+?{}\[\]\\|()])", r"\\\1", line)


def reference_entries(lines: list[str]) -> list[str]:
    """The entries of a printed reference list: numbered or bulleted items (continued on the
    following lines), else one entry a line.

    >>> reference_entries(["[1] Smith J. A paper.", "   Journal 2020.", "[2] Doe A. Another."])
    ['Smith J. A paper. Journal 2020.', 'Doe A. Another.']
    """
    entries: list[str] = []
    marked = any(ENTRY_START.match(line) for line in lines)
    for line in lines:
        if not line.strip():
            continue
        if not marked or ENTRY_START.match(line) or not entries:
            entries.append(ENTRY_START.sub("", line).strip())
        else:
            entries[-1] += " " + line.strip()
    return [" ".join(entry.split()) for entry in entries]


def detect_layout(text: str) -> DetectedLayout:
    """The segmenter layout of a text, its title, its reference list and what to check."""
    notes = []
    front = FRONT_MATTER.match(text)
    body_lines = text[front.end() if front else 0:].split("\n")
    markdown = any(MARKDOWN_HEADING.match(line.strip()) for line in body_lines)
    headings = _headings(body_lines, markdown)
    title = None
    first_text = next((n for n, line in enumerate(body_lines) if line.strip()), None)
    if headings and headings[0][0] == first_text:
        _, title_line, title = headings.pop(0)
    end = next((h for h in headings if REFERENCE_HEADINGS.fullmatch(h[2])), None)
    prose = body_lines[:end[0]] if end else body_lines
    sections = [h for h in headings if end is None or h[0] < end[0]]
    blocks = [b for b in re.split(r"\n\s*\n", "\n".join(prose)) if b.strip()]
    heading_lines = {line for _, line, _ in headings}
    wrapped = any(len([ln for ln in b.split("\n") if ln.strip() and not ENTRY_START.match(ln)
                       and ln.strip() not in heading_lines]) > 1 for b in blocks)
    kind = "wrapped-text" if wrapped or not markdown else "markdown"
    layout: dict = {"kind": kind}
    if sections:
        layout["sections"] = [name if kind == "markdown" else line for _, line, name in sections]
    if end:
        layout["end"] = end[2] if kind == "markdown" else end[1]
    # before the first listed heading nothing is segmented; without headings the title must be masked
    noise = [FRONT_MATTER.pattern] if front else []
    noise += [f"^{_literal(title_line)}$"] if title and not sections else []
    if noise:
        layout["noise"] = noise
    if sections and first_text is not None:
        before = [ln for ln in body_lines[first_text + (1 if title else 0):sections[0][0]] if ln.strip()]
        if before:
            notes.append(f"{len(before)} line(s) before the first heading (authors, affiliation, abstract?) are "
                         "outside every section: give them a heading in the layout's sections to cite them")
    lists = [b for b in blocks if ENTRY_START.match(b.strip())]
    if lists and kind == "wrapped-text":
        notes.append(f"{len(lists)} list(s): the items of each form one paragraph, as the lines of a wrapped "
                     "paragraph do")
    references = reference_entries(body_lines[end[0] + 1:]) if end else []
    cited = list(dict.fromkeys(int(n) for n in CITATION_MARK.findall("\n".join(prose))))
    if cited and not references:
        notes.append(f"the text cites [{min(cited)}]-[{max(cited)}] but prints no reference list")
    elif references and cited and max(cited) != len(references):
        notes.append(f"the text cites up to [{max(cited)}] but the reference list has {len(references)} entries")
    elif not cited:
        notes.append("no [n] reference marks found (superscript numbers do not survive plain text)")
    return DetectedLayout(layout, title, references, cited, notes)


def read_document(path: Path) -> tuple[Extraction, bytes]:
    """The text of a source file of any supported format, and the file's bytes."""
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise CurationError(f"{path}: unsupported format {path.suffix!r}; use one of {', '.join(sorted(FORMATS))}")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CurationError(f"{path}: cannot read it: {error.strerror or error}") from error
    if kind == "pdf":
        return extract_pdf(path), raw
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        raise CurationError(f"{path}: not UTF-8 text; save it as UTF-8") from error
    if kind == "html":
        return extract_html(text), raw
    return Extraction(text, "none (read as UTF-8 text)"), raw


def documents_entry(entry: dict, notes: list[str]) -> str:
    """The YAML block appended to documents.yaml, with what to complete as comments."""
    todo = ("# TODO (kg curate add): check type, title and layout; add authors, journal, year, volume, issue, "
            "pages,\n  # doi or url and license; reference entries as printed.\n")
    notes_block = "".join(f"  # note: {note}\n" for note in notes)
    block = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=110)
    head, rest = block.split("\n", 1)
    return f"\n{head}\n  {todo}{notes_block}{rest}"


def add_document(path: Path, document_id: str, sources: Path, data: Path | None = None) -> Intake:
    """Write the document's text into ``sources`` and its entry into ``data/documents.yaml``.

    Raises :class:`CurationError` for a malformed or taken id, an unsupported or unreadable file,
    or a different file already in ``sources`` under the name it would take.
    """
    data = Path(data or DEFAULT_DATA)
    if not isinstance(document_id, str) or not DOCUMENT_ID.fullmatch(document_id):
        raise CurationError(f"document id {document_id!r} must be lower case letters, digits and _ "
                            "(e.g. smith2026)")
    if document_id in {d.id for d in load_documents(data)}:
        raise CurationError(f"documents.yaml already has a document {document_id!r}")
    sources = Path(sources)
    if not sources.is_dir():
        raise CurationError(f"sources directory {sources} does not exist (pass --sources DIR)")
    extraction, raw = read_document(path)
    detected = detect_layout(extraction.text)
    suffix = ".md" if FORMATS[path.suffix.lower()] in ("markdown", "html") else ".txt"
    target = sources / (path.name if path.resolve().parent == sources.resolve() else f"{document_id}{suffix}")
    encoded = extraction.text.encode("utf-8")
    if target.exists() and target.read_bytes() != encoded:
        raise CurationError(f"{target} exists and differs from the text of {path}; move it or choose another id")
    target.write_bytes(encoded)
    layout = dict(detected.layout)
    if FORMATS[path.suffix.lower()] in ("html", "pdf"):
        layout["extraction"] = {"from": path.name, "sha256": hashlib.sha256(raw).hexdigest(),
                                "extractor": extraction.extractor}
    cited = detected.cited
    entry = {"id": document_id, "file": target.name, "sha256": hashlib.sha256(encoded).hexdigest(),
             "type": "article", "title": detected.title or path.stem, "authors": [], "layout": layout,
             "reference_count": max([len(detected.references), *cited]) if cited or detected.references else 0,
             "references": detected.references}
    notes = extraction.quirks + detected.notes
    with (data / "documents.yaml").open("a", encoding="utf-8") as handle:
        handle.write(documents_entry(entry, notes))
    return Intake(entry, extraction.text, segment(extraction.text, layout), notes)


def sentence_row(document: str, text: str, sentence: Sentence) -> str:
    """One line of the sentence table: document, locator, governing reference, the sentence.

    >>> text = "Hypoxia\\n drives EMT [2]."
    >>> sentence_row("d", text, segment(text, {"kind": "wrapped-text"})[0])
    'd\\tbody/p1/s1\\t[2]\\tHypoxia drives EMT [2].'
    """
    reference = f"[{sentence.reference}]" if sentence.reference else "[-]"
    return f"{document}\t{sentence.locator}\t{reference}\t{' '.join(text[sentence.start:sentence.end].split())}"
