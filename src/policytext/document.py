"""The document: one text as read and named layers of standoff spans.

Offsets are Python string indices (code points) into :attr:`Document.text`;
``end`` is exclusive, so ``text[span.start:span.end]`` is the span's text.

```pycon
>>> doc = Document("一是强化组织领导。二是突出实践特色。")
>>> doc = doc.with_layers(sentences=(Span(0, 9), Span(9, 18)))
>>> [doc.text_of(s) for s in doc.sentences]
['一是强化组织领导。', '二是突出实践特色。']
>>> Document.from_json(doc.to_json()) == doc
True

```
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np
import numpy.typing as npt
import orjson

from policytext.errors import SchemaError

__all__ = ["LAYERS", "SCHEMA", "Document", "Span", "SpanArray"]

SCHEMA = "policytext/1"

#: Layers in the order they appear in the JSON, with what each holds.
LAYERS: Mapping[str, str] = {
    "front_matter": "title, date, authors, author note, editor, source; repeats of them",
    "paragraphs": "non-blank lines with their role, function label, scores and source",
    "headings": "section titles and numbered outline lines",
    "sentences": "sentence boundaries that tile each paragraph",
    "tokens": "words from the segmenter, with part of speech where asked",
    "enumerations": "numbered structures: family, items, topics, parent, announced count",
    "dash_lists": "unordered lists of lines opening with a dash",
    "slogans": "slogans and formulas: span, normalised text, kind, quoted",
    "figures": "numbers with their unit and counted noun",
    "citations": "cited documents 《…》 with their issuer",
    "entities": "named people, places and organisations",
}

#: Layers written as arrays ``[start, end]`` or ``[start, end, label]`` to keep the JSON small.
COMPACT = frozenset({"sentences", "tokens"})

#: Layers every document carries, empty until their stage runs.
CONTRACT = ("paragraphs", "enumerations", "slogans")

_RESERVED = ("start", "end", "label", "source")


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the document's text, ``text[start:end]``, with what was found there.

    ``label`` says what it is (a paragraph's function, a heading's kind, a
    slogan's kind, a part of speech); ``source`` says what found it (rule,
    lexicon or model, with a version); ``attrs`` holds the rest as JSON values.
    """

    start: int
    end: int
    label: str = ""
    source: str = ""
    attrs: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.attrs[key]

    def get(self, key: str, default: Any = None) -> Any:
        """The attribute ``key``, or ``default`` where the span has none."""
        return self.attrs.get(key, default)

    def to_dict(self) -> dict[str, Any]:
        """The span as a JSON object: ``start``, ``end``, ``label``, ``source`` and its attrs."""
        out: dict[str, Any] = {"start": self.start, "end": self.end}
        if self.label:
            out["label"] = self.label
        if self.source:
            out["source"] = self.source
        out.update(self.attrs)
        return out

    @classmethod
    def from_dict(cls, obj: Mapping[str, Any]) -> Span:
        """Read a span written by :meth:`to_dict`."""
        attrs = {k: v for k, v in obj.items() if k not in _RESERVED}
        return cls(obj["start"], obj["end"], obj.get("label", ""), obj.get("source", ""), attrs)


Ints = Sequence[int] | npt.NDArray[np.int64]


class SpanArray(Sequence[Span]):
    """A large layer of plain spans (tokens, sentences) kept as two integer arrays.

    It is a sequence of :class:`Span` like any layer, but holds ``starts`` and
    ``ends`` as numpy arrays (and ``labels`` as a tuple, where there are any),
    so a million tokens cost a few megabytes and no million objects.

    ```pycon
    >>> tokens = SpanArray([0, 2], [2, 6], ["m", "n"])
    >>> tokens[1]
    Span(start=2, end=6, label='n', source='', attrs={})
    >>> tokens == (Span(0, 2, "m"), Span(2, 6, "n"))
    True

    ```
    """

    __slots__ = ("ends", "labels", "starts")

    def __init__(self, starts: Ints, ends: Ints, labels: Sequence[str] | None = None) -> None:
        self.starts: npt.NDArray[np.int64] = np.asarray(starts, dtype=np.int64)
        self.ends: npt.NDArray[np.int64] = np.asarray(ends, dtype=np.int64)
        self.labels: tuple[str, ...] | None = None if labels is None else tuple(labels)
        if self.starts.shape != self.ends.shape or (
            self.labels is not None and len(self.labels) != len(self.starts)
        ):
            raise SchemaError("SpanArray: starts, ends and labels differ in length")

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, index: int) -> Span: ...
    @overload
    def __getitem__(self, index: slice) -> SpanArray: ...
    def __getitem__(self, index: int | slice) -> Span | SpanArray:
        if isinstance(index, slice):
            labels = None if self.labels is None else self.labels[index]
            return SpanArray(self.starts[index], self.ends[index], labels)
        label = "" if self.labels is None else self.labels[index]
        return Span(int(self.starts[index]), int(self.ends[index]), label)

    def __iter__(self) -> Iterator[Span]:
        labels = self.labels or ("",) * len(self)
        for start, end, label in zip(self.starts.tolist(), self.ends.tolist(), labels, strict=True):
            yield Span(start, end, label)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SpanArray):
            return (
                np.array_equal(self.starts, other.starts)
                and np.array_equal(self.ends, other.ends)
                and (self.labels or ("",) * len(self)) == (other.labels or ("",) * len(other))
            )
        if isinstance(other, Sequence):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SpanArray({len(self)} spans)"

    def compact(self, arrays: bool = False) -> Any:
        """The spans as JSON arrays ``[start, end]`` or ``[start, end, label]``.

        With ``arrays``, spans without labels come as one numpy array of pairs,
        which the JSON writer serialises without making a list per span.
        """
        stacked = np.column_stack((self.starts, self.ends))
        if arrays and self.labels is None:
            return stacked
        pairs: list[list[Any]] = stacked.tolist()
        if self.labels is not None:
            for pair, label in zip(pairs, self.labels, strict=True):
                if label:
                    pair.append(label)
        return pairs

    @classmethod
    def from_compact(cls, arrays: Sequence[Sequence[Any]]) -> SpanArray:
        """Read the arrays :meth:`compact` writes."""
        labels = [a[2] if len(a) > 2 else "" for a in arrays]
        return cls([a[0] for a in arrays], [a[1] for a in arrays], labels if any(labels) else None)

    def in_range(self, length: int) -> bool:
        """Whether every span lies within a text of ``length`` characters."""
        if not len(self):
            return True
        return bool(
            self.starts.min() >= 0
            and self.ends.max() <= length
            and (self.starts <= self.ends).all()
        )


#: Attribute values that hold no offsets (tested first: most values are these).
_SCALARS = (str, int, float, bool, type(None))
#: Attributes that the schema makes flat (a paragraph's scores and evidence): no offsets.
_FLAT = frozenset({"scores", "evidence"})


def _check(name: str, spans: Sequence[Span], n: int) -> None:
    """Raise :class:`SchemaError` for a span of layer ``name`` outside a text of length ``n``."""
    if isinstance(spans, SpanArray):
        if not spans.in_range(n):
            raise SchemaError(f"layer {name!r}: a span is outside the text of length {n}")
        return
    for span in spans:
        if not 0 <= span.start <= span.end <= n:
            raise SchemaError(
                f"layer {name!r}: span [{span.start}, {span.end}) is outside the text of length {n}"
            )
        for key, value in span.attrs.items():
            if isinstance(value, _SCALARS) or key in _FLAT:
                continue  # most attributes: nothing nested to check
            outside = _nested_outside(value, n)
            if outside is not None:
                raise SchemaError(
                    f"layer {name!r}: nested span [{outside[0]}, {outside[1]}) is outside "
                    f"the text of length {n}"
                )


def _array(spans: Sequence[Span]) -> SpanArray:
    labels = [s.label for s in spans]
    return SpanArray(
        [s.start for s in spans], [s.end for s in spans], labels if any(labels) else None
    )


def _nested_outside(value: Any, n: int) -> tuple[int, int] | None:
    """A ``{start, end}`` pair nested in an attribute value (markers, topics, nouns) that
    lies outside a text of length ``n``; None if all lie inside."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _SCALARS):
            continue
        if isinstance(item, dict) or isinstance(item, Mapping):  # noqa: SIM101 - dict is fast
            start, end = item.get("start"), item.get("end")
            if isinstance(start, int) and isinstance(end, int) and not 0 <= start <= end <= n:
                return start, end
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


@dataclass(frozen=True, slots=True)
class Document:
    """One text as read and its annotation layers; immutable.

    ``meta`` holds what is known of the document besides its text (id, path,
    encoding, year); ``provenance`` names, per layer, the stage and version
    that made it. Adding layers returns a new document: see :meth:`with_layers`.
    """

    text: str
    layers: Mapping[str, Sequence[Span]] = field(default_factory=dict)
    meta: Mapping[str, Any] = field(default_factory=dict)
    provenance: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = [name for name in CONTRACT if name not in self.layers]
        if missing:  # the scorer's contract: these are always present, if empty
            object.__setattr__(self, "layers", {**dict.fromkeys(missing, ()), **self.layers})
        for name, spans in self.layers.items():
            _check(name, spans, len(self.text))

    def with_layers(
        self, provenance: Mapping[str, str] | None = None, **layers: Sequence[Span]
    ) -> Document:
        """A new document with ``layers`` added or replaced, and their provenance.

        Only the new layers are checked: the others were checked when they came.
        """
        new = {k: v if isinstance(v, SpanArray) else tuple(v) for k, v in layers.items()}
        for name, spans in new.items():
            _check(name, spans, len(self.text))
        doc = object.__new__(Document)
        object.__setattr__(doc, "text", self.text)
        object.__setattr__(doc, "layers", {**self.layers, **new})
        object.__setattr__(doc, "meta", self.meta)
        object.__setattr__(doc, "provenance", {**self.provenance, **(provenance or {})})
        return doc

    def layer(self, name: str) -> Sequence[Span]:
        """The spans of layer ``name``; empty where the layer was not made."""
        return self.layers.get(name, ())

    def text_of(self, span: Span | Mapping[str, Any]) -> str:
        """The text a span covers (a :class:`Span` or a ``{start, end}`` mapping)."""
        if isinstance(span, Span):
            return self.text[span.start : span.end]
        return self.text[span["start"] : span["end"]]

    @property
    def id(self) -> str | None:
        """The document's id where it has one (file name, record id)."""
        value = self.meta.get("id")
        return None if value is None else str(value)

    @property
    def paragraphs(self) -> Sequence[Span]:
        return self.layer("paragraphs")

    @property
    def sentences(self) -> Sequence[Span]:
        return self.layer("sentences")

    @property
    def tokens(self) -> Sequence[Span]:
        return self.layer("tokens")

    @property
    def headings(self) -> Sequence[Span]:
        return self.layer("headings")

    @property
    def enumerations(self) -> Sequence[Span]:
        return self.layer("enumerations")

    @property
    def slogans(self) -> Sequence[Span]:
        return self.layer("slogans")

    @property
    def figures(self) -> Sequence[Span]:
        return self.layer("figures")

    @property
    def citations(self) -> Sequence[Span]:
        return self.layer("citations")

    def front(self, field_name: str) -> Span | None:
        """The first front-matter span labelled ``field_name`` (title, date, author, …)."""
        return next((s for s in self.layer("front_matter") if s.label == field_name), None)

    @property
    def title(self) -> str | None:
        """The title as written, or ``None``."""
        span = self.front("title")
        return None if span is None else self.text_of(span)

    @property
    def date(self) -> str | None:
        """The date in ISO 8601 (``2012-12-27``), or ``None``."""
        span = self.front("date")
        return None if span is None else str(span.get("value"))

    def _repr_html_(self) -> str:
        """The HTML view Jupyter shows (the one upward import: the view is optional)."""
        from policytext.render import to_html

        return to_html(self, standalone=False)

    def to_dict(self) -> dict[str, Any]:
        """The document as a JSON-ready dict following the ``policytext/1`` schema."""
        return self._dict(arrays=False)

    def _dict(self, arrays: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"schema": SCHEMA}
        if self.meta:
            out["meta"] = dict(self.meta)
        out["text"] = self.text
        if self.provenance:
            out["provenance"] = dict(self.provenance)
        names = [*LAYERS, *sorted(set(self.layers) - set(LAYERS))]
        for name in names:
            spans = self.layers.get(name)
            if spans is None:
                continue
            if name in COMPACT:
                array = spans if isinstance(spans, SpanArray) else _array(spans)
                out[name] = array.compact(arrays)
            else:
                out[name] = [s.to_dict() for s in spans]
        return out

    def to_json(self, indent: int | None = None) -> str:
        """The document as ``policytext/1`` JSON (UTF-8 characters, not ``\\u`` escapes).

        Compact by default, written by orjson; ``indent`` gives indented JSON for reading.
        """
        if indent is not None:
            return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
        return self.to_json_bytes().decode()

    def to_json_bytes(self) -> bytes:
        """The compact JSON of :meth:`to_json` as UTF-8 bytes, for writing to a file or
        sending to another process without decoding and encoding it again."""
        return orjson.dumps(self._dict(arrays=True), option=orjson.OPT_SERIALIZE_NUMPY)

    @classmethod
    def from_dict(cls, obj: Mapping[str, Any], validate: bool = True) -> Document:
        """Read a document from a dict written by :meth:`to_dict`."""
        if validate:
            from policytext.schema import validate as check

            check(obj)
        elif obj.get("schema") != SCHEMA:
            raise SchemaError(f"not a {SCHEMA} document (schema: {obj.get('schema')!r})")
        skip = {"schema", "meta", "text", "provenance"}
        layers: dict[str, Sequence[Span]] = {
            name: SpanArray.from_compact(spans)
            if name in COMPACT
            else tuple(Span.from_dict(s) for s in spans)
            for name, spans in obj.items()
            if name not in skip
        }
        return cls(obj["text"], layers, obj.get("meta", {}), obj.get("provenance", {}))

    @classmethod
    def from_json(cls, data: str | bytes, validate: bool = True) -> Document:
        """Read ``policytext/1`` JSON; with ``validate``, check it against the schema first."""
        try:
            obj = orjson.loads(data)
        except orjson.JSONDecodeError as e:
            raise SchemaError(f"not JSON: {e.msg} at line {e.lineno}, column {e.colno}") from None
        if not isinstance(obj, dict):
            raise SchemaError(f"a {SCHEMA} document is a JSON object, not {type(obj).__name__}")
        return cls.from_dict(obj, validate=validate)
