"""Annotated documents as pandas tables, joinable by document id.

Install with ``pip install 'policytext[notebook]'``. :func:`to_frames` reads
documents (``Document`` objects or their JSON dicts, from any iterable, one at
a time) and returns one DataFrame per layer:

- ``documents``: id, title, date, source, authors, characters, and the metadata;
- ``paragraphs``: label, role, section heading, a probability column per label;
- ``enumerations`` and ``items``: family, size, announced count, parent; item
  index, marker, topic;
- ``slogans``, ``figures``, ``citations``.

Every table has ``doc_id``; spans keep ``start`` and ``end`` into the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from policytext.document import Document
from policytext.errors import OptionError

__all__ = [
    "TABLES",
    "enumeration_sizes",
    "function_shares",
    "rows",
    "slogan_counts",
    "to_frames",
    "top_figures",
]

LABELS = ("practice", "outcome", "lesson", "plan", "other")

#: The tables :func:`to_frames` returns, and their columns.
TABLES: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id", "title", "date", "source", "authors", "chars", "meta"),
    "paragraphs": (
        "doc_id", "index", "start", "end", "role", "label", "source", "section", "text",
        *(f"p_{label}" for label in LABELS),
    ),
    "enumerations": (
        "doc_id", "enum", "family", "size", "declared", "parent_enum", "parent_item",
        "start", "end", "diagnostics",
    ),
    "items": ("doc_id", "enum", "index", "marker", "topic", "start", "end"),
    "slogans": ("doc_id", "text", "kind", "quoted", "surface", "start", "end", "source"),
    "figures": ("doc_id", "surface", "value", "unit", "approximate", "noun", "start", "end"),
    "citations": ("doc_id", "title", "issuer", "start", "end"),
}  # fmt: skip


def _as_dict(doc: Document | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(doc, Document):
        return doc.to_dict()
    if isinstance(doc, Mapping) and isinstance(doc.get("text"), str):
        return doc
    kind = type(doc).__name__
    raise OptionError(f"to_frames: expected Documents or their JSON dicts, not {kind}")


def _cut(text: str, span: Mapping[str, Any] | None) -> str | None:
    return None if not span else text[span["start"] : span["end"]]


def rows(doc: Document | Mapping[str, Any], position: int = 0) -> dict[str, list[dict[str, Any]]]:
    """The rows one document adds to each table (its id: ``meta.id``, else its position)."""
    d = _as_dict(doc)
    text: str = d["text"]
    meta = dict(d.get("meta") or {})
    doc_id = str(meta.get("id", position))
    front = d.get("front_matter") or []

    def field(label: str) -> Any:
        return next((f.get("value") for f in front if f.get("label") == label), None)

    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    out["documents"].append(
        {
            "doc_id": doc_id,
            "title": field("title"),
            "date": field("date"),
            "source": field("source"),
            "authors": [f.get("value") for f in front if f.get("label") == "author"],
            "chars": len(text),
            "meta": meta,
        }
    )
    headings = d.get("headings") or []
    for k, p in enumerate(d.get("paragraphs") or []):
        scores = p.get("scores") or {}
        section = p.get("section")
        out["paragraphs"].append(
            {
                "doc_id": doc_id,
                "index": k,
                "start": p["start"],
                "end": p["end"],
                "role": p.get("role"),
                "label": p.get("label"),
                "source": p.get("source"),
                "section": None if section is None else _cut(text, headings[section]),
                "text": text[p["start"] : p["end"]],
                **{f"p_{label}": scores.get(label) for label in LABELS},
            }
        )
    for e, enum in enumerate(d.get("enumerations") or []):
        parent = enum.get("parent") or {}
        out["enumerations"].append(
            {
                "doc_id": doc_id,
                "enum": e,
                "family": enum.get("label"),
                "size": len(enum.get("items", [])),
                "declared": enum.get("declared"),
                "parent_enum": parent.get("enumeration"),
                "parent_item": parent.get("item"),
                "start": enum["start"],
                "end": enum["end"],
                "diagnostics": list(enum.get("diagnostics") or []),
            }
        )
        for i, item in enumerate(enum.get("items", []), 1):
            out["items"].append(
                {
                    "doc_id": doc_id,
                    "enum": e,
                    "index": item.get("index", i),
                    "marker": _cut(text, item["marker"]),
                    "topic": _cut(text, item.get("topic")),
                    "start": item.get("start", item["marker"]["start"]),
                    "end": item.get("end", item["marker"]["end"]),
                }
            )
    for s in d.get("slogans") or []:
        out["slogans"].append(
            {
                "doc_id": doc_id,
                "text": s.get("text"),
                "kind": s.get("label"),
                "quoted": s.get("quoted"),
                "surface": text[s["start"] : s["end"]],
                "start": s["start"],
                "end": s["end"],
                "source": s.get("source"),
            }
        )
    for f in d.get("figures") or []:
        out["figures"].append(
            {
                "doc_id": doc_id,
                "surface": text[f["start"] : f["end"]],
                "value": f.get("value"),
                "unit": f.get("label"),
                "approximate": f.get("approximate"),
                "noun": _cut(text, f.get("noun")),
                "start": f["start"],
                "end": f["end"],
            }
        )
    for c in d.get("citations") or []:
        out["citations"].append(
            {
                "doc_id": doc_id,
                "title": c.get("title", text[c["start"] : c["end"]]),
                "issuer": _cut(text, c.get("issuer")),
                "start": c["start"],
                "end": c["end"],
            }
        )
    return out


def to_frames(documents: Iterable[Document | Mapping[str, Any]]) -> dict[str, Any]:
    """One pandas DataFrame per table of :data:`TABLES`, from documents read one at a time."""
    try:
        import pandas as pd
    except ImportError:
        raise OptionError("to_frames needs pandas: pip install 'policytext[notebook]'") from None
    collected: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for position, doc in enumerate(documents):
        for name, table in rows(doc, position).items():
            collected[name].extend(table)
    return {
        name: pd.DataFrame(collected[name], columns=list(columns))
        for name, columns in TABLES.items()
    }


# --- corpus views: what a researcher asks first --------------------------------


def _with(frames: Mapping[str, Any], table: str, by: str) -> Any:
    """``frames[table]`` with the document column ``by`` (a documents column or a meta key)."""
    docs = frames["documents"]
    if by == "doc_id":
        return frames[table]
    if by in docs.columns:
        key = docs[["doc_id", by]]
    else:
        key = docs[["doc_id"]].assign(**{by: [m.get(by) for m in docs["meta"]]})
    return frames[table].merge(key, on="doc_id", how="left")


def slogan_counts(frames: Mapping[str, Any], by: str = "year", top: int = 20) -> Any:
    """Documents mentioning each of the ``top`` slogans, per value of ``by`` (a table)."""
    table = _with(frames, "slogans", by).drop_duplicates(["doc_id", "text"])
    counts = table.groupby([by, "text"]).size().unstack(fill_value=0)
    keep = counts.sum().sort_values(ascending=False).index[:top]
    return counts[keep]


def function_shares(frames: Mapping[str, Any], by: str = "doc_id") -> Any:
    """The share of each passage function, in characters, per ``by`` (rows sum to 1)."""
    table = _with(frames, "paragraphs", by)
    table = table[table["role"].isin(["body", "heading"])]
    chars = table.assign(chars=table["end"] - table["start"])
    shares = chars.groupby([by, "label"])["chars"].sum().unstack(fill_value=0)
    shares = shares.reindex(columns=[c for c in LABELS if c in shares.columns])
    return shares.div(shares.sum(axis=1), axis=0)


def enumeration_sizes(frames: Mapping[str, Any]) -> Any:
    """How many enumerations have each size, per family."""
    table = frames["enumerations"]
    return table.groupby(["family", "size"]).size().unstack(fill_value=0)


def top_figures(frames: Mapping[str, Any], unit: str | None = None, top: int = 20) -> Any:
    """The largest figures (optionally of one unit), with their counted noun and document."""
    table = frames["figures"]
    if unit is not None:
        table = table[table["unit"] == unit]
    return table.sort_values("value", ascending=False).head(top)
