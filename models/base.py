"""Shared base for every entity: strict about unknown fields so typos in JSON are caught, and the
one place where text entering a plan is cleaned."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from models.text import clean_text, clean_value, is_clean


class Entity(BaseModel):
    """Base model. `extra="forbid"` turns a misspelt key in an imported plan into a clear error
    instead of silently dropping the user's data. `allow_inf_nan=False`: Infinity, NaN and 1e999
    are not amounts or targets, and pages, charts and saved JSON cannot hold them."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False, validate_default=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def drop_unsafe_characters(self) -> Any:
        # Every text field, whatever entity it is on: control characters, lone surrogates and
        # noncharacters break exports (XML, XLSX, UTF-8, the chart engine) and terminals, so they
        # are dropped as text enters the plan (models.text). Nested entities clean
        # themselves; here only the values of this model's own fields.
        fields = self.__dict__
        for name, value in fields.items():
            if isinstance(value, str):
                if not is_clean(value):
                    fields[name] = clean_text(value)
            elif value and isinstance(value, (list, dict)) and not isinstance(_first(value), BaseModel):
                cleaned = clean_value(value)
                if cleaned is not value:
                    fields[name] = cleaned
        return self


def _first(items: list[Any] | dict[Any, Any]) -> Any:
    # Lists of entities (roles, rules…) were cleaned as each entity was validated.
    return items[0] if isinstance(items, list) else next(iter(items.values()))
