"""The k-hop neighbourhood of a node or a set of nodes."""

from fastapi import APIRouter

from api.admission import BUSY_RESPONSES, QuerySlot
from api.deps import EdgeRecordsDep, IndexDep
from api.encoding import JSONAnswer
from api.errors import REST_ERROR_RESPONSES
from api.models import NeighborhoodOut
from api.params import (
    Categories,
    Depth,
    DirectionParam,
    Documents,
    Evidence,
    Expand,
    NeighborhoodLimit,
    NodeSet,
    Predicates,
)
from kg.query.neighborhood import neighborhood

router = APIRouter(tags=["graph"], responses=REST_ERROR_RESPONSES)


@router.get("/neighborhood", operation_id="get_neighborhood", response_model=NeighborhoodOut,
            responses=BUSY_RESPONSES,
            summary="Nodes and cited edges within depth hops; best-supported edges kept first")
def get_neighborhood(_slot: QuerySlot, index: IndexDep, edge_records: EdgeRecordsDep,
                     node: NodeSet, depth: Depth = 1, direction: DirectionParam = "both", predicate: Predicates = None,
                     category: Categories = None, document: Documents = None,
                     limit: NeighborhoodLimit = 100, evidence: Evidence = "asserted",
                     expand: Expand = "none") -> JSONAnswer:
    result = neighborhood(index, node, depth=depth, direction=direction, predicates=predicate,
                          categories=category, documents=document, limit=limit, evidence=evidence, expand=expand)
    return JSONAnswer(result.to_dict(edge_records))  # as built (see api/encoding.py), not validated again
