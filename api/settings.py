"""Service settings, read from ``KG_*`` environment variables (or passed to ``create_app``)."""

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from kg.sparql import QueryLimits
from kg.sparql.remote import RemoteEndpoint

FREE_THREADS = 16  # threads no heavy request may hold: /health and lookups always find one
DEFAULT_DATA_FILE = Path(__file__).resolve().parent.parent / "kg" / "built" / "metastasis-kg.nt"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore")

    host: str = Field("127.0.0.1", description="Interface the HTTP server listens on.")
    port: int = Field(8000, ge=1, le=65535, description="TCP port the HTTP server listens on.")
    data_file: Path = Field(
        DEFAULT_DATA_FILE,
        description="RDF file served by the SPARQL endpoint (Turtle, N-Triples, N-Quads, TriG, "
        "JSON-LD or RDF/XML); named graphs of N-Quads/TriG files stay named graphs.",
    )
    data_format: str | None = Field(
        None,
        description="Syntax of data_file (e.g. 'turtle', 'nquads', 'json-ld' or a media type) "
        "when its file extension does not tell.",
    )
    data_base_iri: str | None = Field(
        None,
        description="Base IRI against which the relative IRIs of data_file (e.g. <a> in Turtle) are resolved; "
        "without it a file with relative IRIs is refused.",
    )
    allow_empty: bool = Field(
        False,
        description="Serve data_file even if it holds no triples (refused by default: an empty graph is "
        "nearly always a wrong path or a failed export).",
    )
    sparql_timeout_s: float = Field(
        10.0, gt=0, description="Seconds a SPARQL query may run before its worker is stopped."
    )
    sparql_endpoint: str | None = Field(
        None,
        description="Query URL of an external SPARQL server loaded from the `kg export` dump (Oxigraph: "
        "http://HOST:7878/query). /sparql then has its workers check each query (no update, no SERVICE) and sends "
        "it there, within the time limit and row cap, with the answers written as locally. Unset: the "
        "workers evaluate.",
    )
    sparql_row_cap: int = Field(
        10_000, ge=1, description="Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) in one result."
    )
    max_query_bytes: int = Field(
        65_536,
        ge=64,
        description="Longest SPARQL query accepted, in UTF-8 bytes; a request body may be up to "
        "three times this plus 16 KiB (percent-encoding and dataset parameters).",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["*"],
        description="Origins whose browser pages may read the service's answers (CORS), comma-separated; "
        "'*' (the default) for any, as public SPARQL endpoints do, never with credentials; empty turns CORS off.",
    )
    log_level: Literal["critical", "error", "warning", "info", "debug"] = Field(
        "info", description="Logging level of the service."
    )
    http_workers: int = Field(
        1,
        ge=1,
        le=16,
        description="uvicorn worker processes serving HTTP; each loads its own copy of the graph and its own "
        "SPARQL workers.",
    )
    workers: int = Field(
        2,
        ge=1,
        le=64,
        description="SPARQL worker processes; each holds a copy of the dataset, so this bounds "
        "both the queries run at once and the memory used.",
    )
    client_read_timeout_s: float = Field(
        10.0,
        gt=0,
        description="Seconds a client has to send a whole request (head and body) from its first byte or the "
        "connection's opening; a slower one is disconnected.",
    )
    client_write_stall_s: float = Field(
        30.0,
        gt=0,
        description="Seconds an answer may wait, unsent because the client does not read it, before the "
        "connection is dropped.",
    )
    sparql_queue: int = Field(
        64,
        ge=0,
        le=1024,
        description="SPARQL queries that may wait for a busy worker; beyond workers + this many, a query is "
        "answered 503 with Retry-After at once instead of queueing.",
    )
    sparql_memory_mb: int = Field(
        1024,
        ge=64,
        description="Address space (MiB) one SPARQL query may add to its worker beyond the dataset it holds; "
        "a query that needs more is stopped and answered 400 query_too_costly.",
    )
    # Heavy REST requests run in anyio's pool of 40 threads, shared with cheap lookups: both bounds
    # together stay well under 40 so that /health and /nodes are served while they are saturated.
    export_concurrency: int = Field(
        2,
        ge=1,
        le=8,
        description="/export requests built at once (per HTTP worker); more wait in export_queue. Whole-graph "
        "exports already built are served without a slot.",
    )
    export_queue: int = Field(
        8, ge=0, le=32, description="/export requests that may wait for a slot; one more is answered 503 busy."
    )
    query_concurrency: int = Field(
        8,
        ge=1,
        le=24,
        description="/paths, /neighborhood and /documents/{id} requests answered at once (per HTTP worker); more "
        "wait in query_queue.",
    )
    query_queue: int = Field(
        32, ge=0, le=128, description="Path, neighbourhood and document requests that may wait for a slot; one more "
        "is answered 503 busy with Retry-After."
    )
    admission_wait_s: float = Field(
        5.0, gt=0, le=60, description="Seconds a queued request waits for a slot before it is answered 503 busy."
    )
    answer_cache_mb: int = Field(
        64, ge=1, le=4096, description="MiB of encoded edge records (each edge with its citations, as JSON) kept "
        "between answers (per HTTP worker): neighbourhood and path answers splice them in instead of building and "
        "encoding them again."
    )
    http_threads: int = Field(
        96, ge=16, le=512, description="Threads that run the synchronous routes; the slots and queues above may hold "
        "all but 16 of them, which keep /health and lookups answered."
    )

    @field_validator("sparql_endpoint")
    @classmethod
    def _endpoint_url(cls, value: str | None) -> str | None:
        return RemoteEndpoint(value, 1).url if value else None  # ValueError: not an http(s) URL with a host

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    def data_file_options(self) -> dict:
        """How to read data_file: the keyword arguments of kg.exchange.rdfio.load_dataset and
        kg.exchange.dataset.open_dataset."""
        return {"format_name": self.data_format, "base_iri": self.data_base_iri, "allow_empty": self.allow_empty}

    @model_validator(mode="after")
    def _threads_left_for_lookups(self) -> "Settings":
        held = self.export_concurrency + self.export_queue + self.query_concurrency + self.query_queue
        if held > self.http_threads - FREE_THREADS:
            raise ValueError(f"slots and queues may hold {held} threads; http_threads must be at least "
                             f"{held + FREE_THREADS}")
        return self

    @property
    def max_body_bytes(self) -> int:
        return 3 * self.max_query_bytes + 16_384

    def sparql_limits(self) -> QueryLimits:
        """What one SPARQL query may take: time, rows, query length and memory."""
        return QueryLimits(self.sparql_timeout_s, self.sparql_row_cap, self.max_query_bytes, self.sparql_memory_mb)
