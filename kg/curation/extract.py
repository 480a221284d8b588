"""Turn an HTML page or a PDF into the plain text that the segmenter reads, and say what the
conversion changed (``kg curate add``).

HTML becomes Markdown-like text, one block a line: headings as ``#`` lines, paragraphs and list
items (``- ``) on lines of their own, blank lines between. Scripts, styles, navigation, headers
and footers are dropped; superscript citation numbers become ``[n]``.

A PDF is read with pypdf, page by page. Lines repeated at the top or bottom of most pages (running
headers, footers, page numbers) are removed, words hyphenated across a line end are joined,
ligatures are spelled out, and paragraph breaks are put where a line ends a sentence well short
of the usual line length. Each of these is reported, so the curator knows what to check.

>>> extract_html("<h1>T</h1><p>Hypoxia drives EMT<sup>2</sup>.</p><ul><li>bone</li></ul>").text
'# T\\n\\nHypoxia drives EMT [2].\\n\\n- bone\\n'
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from kg.errors import CurationError

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt", "figcaption", "caption", "tr"}
DROPPED = {"script", "style", "nav", "header", "footer", "aside", "noscript", "template", "form", "button"}
LIGATURES = re.compile("[\ufb00-\ufb06]")
HYPHEN_BREAK = re.compile(r"(\w)-\n(?=[a-z])")
DIGITS = re.compile(r"\d+")
SHORT_LINE = 0.75  # a line shorter than this share of the usual length may end a paragraph


@dataclass
class Extraction:
    """The text to segment, the tool that made it, and what the conversion changed."""

    text: str
    extractor: str
    quirks: list[str] = field(default_factory=list)


class _HtmlText(HTMLParser):
    """Collects the blocks of an HTML page as Markdown-like lines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.prefix = ""
        self.skipping = 0
        self.in_sup = False
        self.counts: Counter[str] = Counter()

    def _close_block(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(self.prefix + text)
        self.current, self.prefix = [], ""

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED:
            self.skipping += 1
            self.counts[f"<{tag}>"] += 1
        elif tag in BLOCKS:
            self._close_block()
            self.prefix = "#" * int(tag[1]) + " " if re.fullmatch(r"h[1-6]", tag) else "- " if tag == "li" else ""
            self.counts["table rows"] += tag == "tr"
        elif tag == "sup":
            self.in_sup = True
        elif tag in ("br", "td", "th"):
            self.current.append(" ")

    def handle_endtag(self, tag):
        if tag in DROPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self._close_block()
        elif tag == "sup":
            self.in_sup = False

    def handle_data(self, data):
        if self.skipping:
            return
        if self.in_sup and re.fullmatch(r"\s*\[?\d+\]?\s*", data):
            self.counts["superscript citations"] += 1
            data = f" [{data.strip(' []')}]"
        self.current.append(data)


def extract_html(html: str) -> Extraction:
    """Markdown-like text of an HTML page (see the module docstring)."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    parser._close_block()
    counts = parser.counts
    quirks = [f"dropped {n} {tag} element(s) and their text" for tag, n in sorted(counts.items())
              if tag.startswith("<")]
    quirks += [f"{n} {what}" for n, what in ((counts["superscript citations"], "superscript number(s) written as [n]"),
                                              (counts["table rows"], "table row(s) flattened to one line each")) if n]
    return Extraction("\n\n".join(parser.blocks) + "\n", "html.parser (Python standard library)", quirks)


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines (digits folded) found among the first or last two lines of most pages."""
    if len(pages) < 2:
        return set()
    edges = Counter()
    for lines in pages:
        edges.update({DIGITS.sub("#", line.strip()) for line in lines[:2] + lines[-2:] if line.strip()})
    return {line for line, n in edges.items() if n >= max(2, len(pages) // 2 + 1) or line == "#"}


def _paragraphs(lines: list[str]) -> tuple[str, int]:
    """Lines joined into blank-line separated paragraphs; the number of breaks put in."""
    lengths = [len(line) for line in lines if line.strip()]
    usual = statistics.median(lengths) if lengths else 0
    out, breaks = [], 0
    for line in lines:
        out.append(line)
        if re.search(r"[.!?][\"')\]]*$", line) and len(line) < SHORT_LINE * usual:
            out.append("")
            breaks += 1
    return "\n".join(out), breaks


def extract_pdf(path: Path) -> Extraction:
    """The text of a PDF (see the module docstring)."""
    try:
        import pypdf
    except ImportError as error:
        raise CurationError("reading a PDF needs pypdf: pip install -e '.[build]'") from error
    try:
        reader = pypdf.PdfReader(path)
        pages = [(page.extract_text() or "").splitlines() for page in reader.pages]
    except (pypdf.errors.PdfReadError, OSError, ValueError) as error:
        raise CurationError(f"{path}: pypdf cannot read it as a PDF: {error}") from error
    quirks = [f"page {n} has no text layer (scanned?); its text is missing" for n, lines in enumerate(pages, 1)
              if not any(line.strip() for line in lines)]
    running = _running_lines(pages)
    kept = [line.rstrip() for lines in pages for line in lines
            if DIGITS.sub("#", line.strip()) not in running]
    removed = sum(len(lines) for lines in pages) - len(kept)
    if removed:
        quirks.append(f"removed {removed} running header/footer/page-number line(s)")
    text, breaks = _paragraphs(kept)
    ligatures = len(LIGATURES.findall(text))
    text = LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text, joined = HYPHEN_BREAK.subn(r"\1", text)
    quirks += [f"{n} {what}" for n, what in ((ligatures, "ligature(s) spelled out"),
                                              (joined, "word(s) hyphenated across a line end joined"),
                                              (breaks, "paragraph break(s) put after short lines ending a sentence"))
               if n]
    quirks.append("headings and reference numbers come from the text layer only: check them against the PDF")
    return Extraction(re.sub(r"\n{3,}", "\n\n", text).strip() + "\n", f"pypdf {pypdf.__version__}", quirks)
