"""Edges filtered by their parts, with citations."""

from fastapi import APIRouter

from api.deps import IndexDep
from api.encoding import JSONAnswer
from api.errors import REST_ERROR_RESPONSES
from api.models import EdgePage
from api.params import CertaintyFilter, Document, Evidence, Expand, Limit, Object, Offset, Predicate, Subject
from kg.query.edges import find_edges

router = APIRouter(tags=["edges"], responses=REST_ERROR_RESPONSES)


@router.get("/edges", operation_id="list_edges", response_model=EdgePage,
            summary="Edges by subject, predicate, object, document, certainty; evidence pooled by polarity on request")
def list_edges(index: IndexDep,
               subject: Subject = None, predicate: Predicate = None, object: Object = None,  # noqa: A002
               document: Document = None, certainty: CertaintyFilter = None,
               evidence: Evidence = "asserted", expand: Expand = "none",
               limit: Limit = 100, offset: Offset = 0) -> JSONAnswer:
    page = find_edges(index, subject=subject, predicate=predicate, object=object, document=document,
                      certainty=certainty, evidence=evidence, expand=expand, limit=limit, offset=offset)
    return JSONAnswer(page.to_dict())
