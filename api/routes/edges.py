"""Edges filtered by their parts, with citations."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import IndexDep
from api.encoding import JSONAnswer
from api.errors import REST_ERROR_RESPONSES
from api.models import EdgePage
from api.params import Evidence, Expand, Limit, Offset
from kg.query.edges import find_edges

router = APIRouter(tags=["edges"], responses=REST_ERROR_RESPONSES)


@router.get("/edges", operation_id="list_edges", response_model=EdgePage,
            summary="Edges by subject, predicate, object, document, certainty; evidence pooled by polarity on request")
def list_edges(index: IndexDep,
               subject: Annotated[str | None, Query(description="Node name of the subject.")] = None,
               predicate: Annotated[str | None, Query(description="Predicate name.", examples=["inhibits"])] = None,
               object: Annotated[str | None, Query(description="Node name of the object.")] = None,  # noqa: A002
               document: Annotated[str | None, Query(description="Only edges this document cites.")] = None,
               certainty: Annotated[Literal["stated", "hedged", "implied"] | None,
                                    Query(description="Only edges with a citation of this certainty.")] = None,
               evidence: Evidence = "asserted", expand: Expand = "none",
               limit: Limit = 100, offset: Offset = 0) -> JSONAnswer:
    page = find_edges(index, subject=subject, predicate=predicate, object=object, document=document,
                      certainty=certainty, evidence=evidence, expand=expand, limit=limit, offset=offset)
    return JSONAnswer(page.to_dict())
