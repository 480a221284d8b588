"""Response models: one pydantic model per response shape."""

from typing import Any, Literal

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    status: int = Field(description="The HTTP status code, repeated for clients that only see the body.")
    code: str = Field(description="Stable machine-readable error name, e.g. 'invalid_query'.")
    message: str = Field(description="What went wrong, for people.")
    detail: Any = Field(None, description="Structured context (parser position, allowed values...).")


class ErrorResponse(BaseModel):
    error: ErrorBody


class HealthResponse(BaseModel):
    status: Literal["ok"] = "ok"
    triples: int = Field(description="Quads in the served dataset (default graph and named graphs).")
    named_graphs: int = Field(description="Named graphs in the served dataset.")
    data_file: str = Field(description="File name of the served RDF data.")
