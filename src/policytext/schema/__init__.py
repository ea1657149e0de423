"""The ``policytext/1`` JSON Schema, shipped inside the package.

```pycon
>>> schema()["properties"]["schema"]["const"]
'policytext/1'

```
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from policytext.errors import SchemaError

__all__ = ["schema", "schema_text", "validate"]

_FILE = "policytext-1.schema.json"


def schema_text() -> str:
    """The schema file as shipped (the text ``policytext schema`` prints)."""
    return resources.files(__name__).joinpath(_FILE).read_text(encoding="utf-8")


@cache
def schema() -> dict[str, Any]:
    """The schema as a dict."""
    result: dict[str, Any] = json.loads(schema_text())
    return result


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema())


def validate(obj: Any) -> None:
    """Check ``obj`` against the schema; raise :class:`SchemaError` naming the first problem."""
    error = next(iter(_validator().iter_errors(obj)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(document)"
        raise SchemaError(f"{where}: {error.message[:300]}")
