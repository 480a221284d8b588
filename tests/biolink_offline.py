"""The Biolink community's own checkers (kgx, bmt, sssom), run offline against pinned releases.

``bmt`` fetches the Biolink Model and its predicate mapping from GitHub when it starts, and
``kgx`` builds a toolkit and fetches JSON-LD contexts as soon as it is imported. Here the model is
the one the pinned ``biolink-model`` package ships (4.4.3), the prefix contexts are those of the
``biolink-model`` and ``prefixcommons`` packages, and any other attempt to reach the network fails
at once, so a test that passes here passes on a machine with no network.

``python -m tests.biolink_offline kgx REPORT FORMAT COMPRESSION FILE...`` (COMPRESSION ``tar.gz``
or ``none``) runs what ``kgx validate`` runs and
writes the errors it finds to REPORT as JSON (``{level: {error type: {message: [ids]}}}``; the
command line prints them amid its log); ``python -m tests.biolink_offline sssom validate FILE``
runs sssom's command line; :func:`local_toolkit` gives a ``bmt.Toolkit`` in the test process.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from importlib import resources
from pathlib import Path
from unittest import mock

BIOLINK_SCHEMA = str(resources.files("biolink_model") / "schema" / "biolink_model.yaml")
BIOLINK_PREFIXES = str(resources.files("biolink_model") / "prefixmaps" / "biolink-model-prefix-map.json")
PREFIX_CONTEXTS = ("monarch_context", "obo_context")  # the other contexts kgx reads, from prefixcommons
# bmt reads the predicate mapping (curated mappings of other vocabularies' predicates) on start; no
# check here uses it, and the biolink-model package does not ship it, so it is served empty
EMPTY_PREDICATE_MAPPING = "predicate mappings: []\n"


class _Text:
    """The part of a ``requests`` response that bmt reads."""

    status_code = 200

    def __init__(self, text: str) -> None:
        self.text = text


def _local_get(url: str, *args, **kwargs) -> _Text:
    if url.endswith("predicate_mapping.yaml"):
        return _Text(EMPTY_PREDICATE_MAPPING)
    raise OSError(f"offline: refusing to fetch {url}")


def _refuse(*args, **kwargs):
    raise OSError("offline: network access refused")


def local_toolkit():
    """A ``bmt.Toolkit`` over the packaged Biolink Model, built without the network."""
    from bmt import Toolkit

    with mock.patch("requests.get", _local_get):
        return Toolkit(schema=BIOLINK_SCHEMA)


def go_offline() -> None:
    """Refuse every connection and point kgx and bmt at the packaged model and contexts (for the
    process running a tool's command line)."""
    import requests
    from bmt import toolkit

    socket.socket.connect = _refuse
    socket.create_connection = _refuse
    requests.get = _local_get
    toolkit.Toolkit.__init__.__defaults__ = (BIOLINK_SCHEMA, "predicate_mapping.yaml")
    import kgx.config

    contexts = kgx.config.get_config()["jsonld-context"]
    contexts["biolink"] = BIOLINK_PREFIXES
    for name in PREFIX_CONTEXTS:
        contexts[name] = str(resources.files("prefixcommons") / "registry" / f"{name}.jsonld")


def main(argv: list[str]) -> int:
    tool, arguments = argv[0], argv[1:]
    go_offline()
    if tool == "kgx":
        from kgx.cli.cli_utils import validate

        report, input_format, compression, *inputs = arguments
        errors = validate(inputs, input_format, None if compression == "none" else compression, os.devnull)
        Path(report).write_text(json.dumps(errors, indent=1))
        return 0
    from sssom.cli import main as sssom

    return sssom(arguments, standalone_mode=False) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
