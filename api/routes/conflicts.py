"""Pairs the documents disagree on: opposite signs, or different certainty."""

from fastapi import APIRouter

from api.deps import IndexDep
from api.encoding import JSONAnswer
from api.errors import REST_ERROR_RESPONSES
from api.models import ConflictPage
from api.params import ConflictKindFilter, ConflictNode, Limit, Offset
from kg.query.conflicts import find_conflicts

router = APIRouter(tags=["edges"], responses=REST_ERROR_RESPONSES)


@router.get("/conflicts", operation_id="list_conflicts", response_model=ConflictPage,
            summary="Pairs stated with opposite signs, or with different certainty by different documents")
def list_conflicts(index: IndexDep,
                   kind: ConflictKindFilter = None, node: ConflictNode = None,
                   limit: Limit = 100, offset: Offset = 0) -> JSONAnswer:
    return JSONAnswer(find_conflicts(index, kind=kind, node=node, limit=limit, offset=offset).to_dict())
