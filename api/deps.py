"""Typed dependencies: routes declare what they need, the app state provides it."""

from typing import Annotated

from fastapi import Depends, Request

from api.encoding import EncodedEdges
from api.settings import Settings
from kg.exchange.dataset import LoadedDataset
from kg.query.index import GraphIndex
from kg.sparql import SparqlEngine


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_sparql_engine(request: Request) -> SparqlEngine:
    return request.app.state.sparql_engine


def get_dataset(request: Request) -> LoadedDataset:
    return request.app.state.dataset


def get_index(request: Request) -> GraphIndex:
    return request.app.state.dataset.index


def get_edge_records(request: Request) -> EncodedEdges:
    return request.app.state.edge_records


SettingsDep = Annotated[Settings, Depends(get_settings)]
SparqlEngineDep = Annotated[SparqlEngine, Depends(get_sparql_engine)]
DatasetDep = Annotated[LoadedDataset, Depends(get_dataset)]
IndexDep = Annotated[GraphIndex, Depends(get_index)]
EdgeRecordsDep = Annotated[EncodedEdges, Depends(get_edge_records)]
