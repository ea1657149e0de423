"""Annotate archives on a Dask cluster, partition by partition.

Install with ``pip install 'policytext[dask]'``. Each worker process builds
its pipeline once (the jieba dictionary loads once per process, not per
partition) and annotates its partitions; the results are policytext/1 JSON
strings, written as JSON Lines, one file per partition::

    import dask.bag as db
    from dask.distributed import Client
    import policytext.dask as ptd

    client = Client("scheduler-address:8786")        # or LocalCluster(), or dask-jobqueue
    texts = db.read_text("archive/*.txt", files_per_partition=100, linedelimiter="\\0")
    ptd.to_jsonl(ptd.annotate_bag(texts), "out/")     # out/0.jsonl, out/1.jsonl, …

A ``dask.dataframe`` with a text column works the same way through
:func:`annotate_frame`: its other columns travel as each document's metadata.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from policytext.errors import OptionError
from policytext.pipeline import Pipeline

__all__ = ["annotate_bag", "annotate_frame", "to_jsonl"]


def _require_dask() -> None:
    try:
        import dask.bag  # noqa: F401
    except ImportError:
        raise OptionError(
            "policytext.dask needs the dask extra: pip install 'policytext[dask]'"
        ) from None


@lru_cache(maxsize=4)
def _pipeline(options: str) -> Pipeline:
    """The pipeline of this worker process for these options, built once."""
    return Pipeline(**json.loads(options))


def _annotate_partition(items: Iterable[Any], options: str) -> list[str]:
    return [doc.to_json() for doc in _pipeline(options).pipe(items)]


def annotate_bag(bag: Any, pipeline: Mapping[str, Any] | None = None) -> Any:
    """A bag of policytext/1 JSON strings from a bag of texts or ``(text, meta)`` pairs.

    ``pipeline`` holds :class:`~policytext.pipeline.Pipeline` keyword arguments.
    """
    _require_dask()
    options = json.dumps(dict(pipeline or {}), sort_keys=True)
    Pipeline(**json.loads(options))  # fail on bad options here, not on every worker
    return bag.map_partitions(_annotate_partition, options)


def annotate_frame(
    frame: Any,
    text_field: str = "text",
    id_field: str | None = None,
    pipeline: Mapping[str, Any] | None = None,
) -> Any:
    """A bag of policytext/1 JSON strings from a dask DataFrame with a text column.

    The other columns become each document's ``meta``; ``id_field`` names the
    column that holds the id.
    """
    _require_dask()
    if text_field not in frame.columns:
        raise OptionError(
            f"text_field: no column {text_field!r} (columns: {', '.join(map(str, frame.columns))})"
        )

    def pair(row: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        meta = {str(k): _plain(v) for k, v in row.items() if k != text_field}
        if id_field is not None:
            meta["id"] = str(row[id_field])
        return str(row[text_field]), meta

    records = frame.to_bag(format="dict").map(pair)
    return annotate_bag(records, pipeline)


def _plain(value: Any) -> Any:
    """A JSON value for a DataFrame cell (numpy scalars, timestamps, missing values)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return str(value)


def to_jsonl(bag: Any, folder: str | os.PathLike[str]) -> list[str]:
    """Write each partition of a bag of JSON strings to ``folder/N.jsonl``; return the paths."""
    _require_dask()
    os.makedirs(folder, exist_ok=True)
    paths: list[str] = bag.to_textfiles(os.path.join(os.fspath(folder), "*.jsonl"))
    return paths
