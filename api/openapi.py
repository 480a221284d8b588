"""OpenAPI content of answers that are files rather than JSON models: one schema per media type, so
that a generated client reads each body as what it is (JSON, text or bytes), the usual one first.

>>> content(["text/turtle", "application/gzip"])["application/gzip"]
{'schema': {'type': 'string', 'format': 'binary'}}
"""

from collections.abc import Iterable

BINARY_MEDIA_TYPES = {"application/gzip"}


def schema_of(media_type: str) -> dict:
    if media_type in BINARY_MEDIA_TYPES:
        return {"type": "string", "format": "binary"}
    if media_type.endswith(("/json", "+json")):
        return {"type": "object"}
    return {"type": "string"}


def content(media_types: Iterable[str]) -> dict:
    """The ``content`` of an OpenAPI response: each media type once, in the order given."""
    return {media_type: {"schema": schema_of(media_type)} for media_type in dict.fromkeys(media_types)}
