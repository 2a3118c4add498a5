"""Shared base for every entity: strict about unknown fields so typos in JSON are caught."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Entity(BaseModel):
    """Base model. `extra="forbid"` turns a misspelt key in an imported plan into a clear error
    instead of silently dropping the user's data."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False, validate_default=True)
