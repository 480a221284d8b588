"""Typed dependencies: routes declare what they need, the app state provides it."""

from typing import Annotated

from fastapi import Depends, Request

from api.settings import Settings
from kg.sparql import SparqlEngine


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_sparql_engine(request: Request) -> SparqlEngine:
    return request.app.state.sparql_engine


SettingsDep = Annotated[Settings, Depends(get_settings)]
SparqlEngineDep = Annotated[SparqlEngine, Depends(get_sparql_engine)]
