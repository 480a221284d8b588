"""Node search (autocomplete) and node records."""

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import IndexDep
from api.encoding import JSONAnswer
from api.errors import REST_ERROR_RESPONSES
from api.models import NodeDetailOut, SearchPage
from api.params import Categories, Offset, SearchLimit, SearchText
from kg.query.lookup import resolve, search

router = APIRouter(tags=["nodes"], responses=REST_ERROR_RESPONSES)


@router.get("/nodes", operation_id="search_nodes", response_model=SearchPage,
            summary="Search nodes by name; ranked exact > synonym > prefix > substring")
def search_nodes(index: IndexDep, q: SearchText,
                 category: Categories = None, limit: SearchLimit = 20, offset: Offset = 0) -> JSONAnswer:
    return JSONAnswer(search(index, q, category=category, limit=limit, offset=offset).to_dict())


@router.get("/nodes/{node:path}", operation_id="get_node", response_model=NodeDetailOut,
            summary="One node: labels, synonyms, standard identifiers, degree")
def get_node(index: IndexDep,
             node: Annotated[str, Path(description="CURIE, IRI, label or synonym.", examples=["mkg:emt"])],
             ) -> JSONAnswer:
    return JSONAnswer(index.describe(resolve(index, node).id).to_dict())
