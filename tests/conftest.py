"""Shared fixtures: the project's data directory, the source documents, a scratch data copy."""

import shutil
import textwrap
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / "data"
SOURCES = PROJECT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def sources() -> Path:
    if not (SOURCES / "INDEX.md").is_file():
        pytest.skip(f"the source documents are not at {SOURCES} (they sit beside the checkout as ../shared/seeds)")
    return SOURCES


@pytest.fixture
def scratch_data(tmp_path: Path) -> Path:
    """A copy of data/ with the vocabulary and documents but no statements, to write bad rows into."""
    target = tmp_path / "data"
    target.mkdir()
    for name in ("documents.yaml", "predicates.yaml"):
        shutil.copy(DATA / name, target / name)
    shutil.copytree(DATA / "nodes", target / "nodes", ignore=shutil.ignore_patterns("*.md"))
    (target / "statements").mkdir()
    return target


def write_statements(data: Path, body: str, passages: str) -> None:
    """Replace wolf2025's statements in a scratch data copy by ``body`` (YAML, dedented) and the
    located passages by ``passages`` (TSV)."""
    (data / "statements" / "wolf2025.yaml").write_text(textwrap.dedent(body))
    (data / "passages.tsv").write_text(passages)
