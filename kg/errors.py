"""The one exception family that the kg library raises.

Every error a caller can provoke with bad input is a :class:`KGError`; the web layer maps the
subclasses to HTTP statuses (see ``api/errors.py``) and nothing else escapes.
"""


class KGError(Exception):
    """Base class of every error the kg library raises on purpose.

    ``code`` is a short, stable machine-readable name; ``detail`` carries structured context
    (for example the candidates of an ambiguous name).
    """

    code = "kg_error"

    def __init__(self, message: str, *, detail: object = None):
        super().__init__(message)
        self.message = message
        self.detail = detail


class CurationError(KGError):
    """A curated file in ``data/`` is malformed; the message names ``file:line``."""

    code = "curation_error"


class ValidationError(KGError):
    """The built graph violates the SHACL shapes of the model."""

    code = "validation_error"


class NotFoundError(KGError):
    """A node, document, predicate or other named thing does not exist."""

    code = "not_found"


class AmbiguousNameError(KGError):
    """A name resolves to more than one node; ``detail`` lists the candidates."""

    code = "ambiguous_name"


class InvalidQueryError(KGError):
    """A query parameter is out of range or malformed (depth, k, length, filters...)."""

    code = "invalid_query"


class QueryTimeoutError(KGError):
    """A query could not produce any answer within its time budget."""

    code = "query_timeout"


class QueryRefusedError(KGError):
    """A well-formed request that the read-only SPARQL service will not run.

    ``detail["reason"]`` says which rule refused it: ``update`` (the service never writes) or
    ``service`` (no federated SERVICE calls, and no other network or file access).
    """

    code = "query_refused"


class QueryTooLargeError(KGError):
    """A query or request body is longer than the configured limit."""

    code = "query_too_large"


class NotAcceptableError(KGError):
    """No result format that the client accepts exists for this query's kind of result."""

    code = "not_acceptable"


class QueryTooCostlyError(KGError):
    """A query needed more memory (or deeper parsing) than one query may use and was stopped.

    A 4xx, unlike a time-out: the same query fails the same way however idle the service is.
    """

    code = "query_too_costly"


class EngineUnavailableError(KGError):
    """No query worker could take the query in time (all busy, or one is restarting)."""

    code = "engine_unavailable"


class SandboxError(KGError):
    """The operating system refused to confine a query worker (no seccomp, or limits not set)."""

    code = "sandbox_unavailable"


class DataFileError(KGError):
    """An RDF data file is missing, of an unknown format or not parseable."""

    code = "data_file_error"
