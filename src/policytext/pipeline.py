"""The pipeline: stages in order, each reading the document and adding its layers.

A stage declares the layers it ``requires`` and ``provides``; a pipeline
whose stages do not line up fails when it is built, naming what is missing.

```pycon
>>> nlp = Pipeline(stages=["layout"])
>>> doc = nlp("基本做法\\n一是强化组织领导。")
>>> [doc.text_of(p) for p in doc.paragraphs]
['基本做法', '一是强化组织领导。']

```
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, overload

from policytext.document import Document, Span
from policytext.errors import InputError, OptionError, PolicytextError, StageError
from policytext.extract import citations, enumerations, figures, slogans
from policytext.layout import SOURCE as LAYOUT_VERSION
from policytext.layout import layout
from policytext.segment import Segmenter, make_segmenter

__all__ = ["BATCH_CHARS", "DEFAULT_STAGES", "Pipeline", "Stage", "annotate"]

Layers = Mapping[str, Sequence[Span]]


@dataclass(frozen=True, slots=True)
class Stage:
    """One step of the pipeline: a function from a document to the layers it adds."""

    name: str
    version: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    run: Callable[[Document], Layers]
    #: The layers of several documents at once, where a stage does that faster.
    run_many: Callable[[Sequence[Document]], Sequence[Layers]] | None = None


@dataclass(frozen=True, slots=True)
class Options:
    """What the stage factories may read."""

    segmenter: Segmenter
    user_dicts: tuple[str | os.PathLike[str], ...] = ()
    passage_model: str | os.PathLike[str] | None = None


def _layout(options: Options) -> Stage:
    return Stage(
        "layout",
        LAYOUT_VERSION,
        (),
        ("front_matter", "paragraphs", "headings", "sentences"),
        lambda doc: layout(doc.text),
    )


def _segment(options: Options) -> Stage:
    segmenter = options.segmenter

    def run(doc: Document) -> Layers:
        return {"tokens": segmenter.segment(doc.text)}

    return Stage("segment", segmenter.version, (), ("tokens",), run)


def _entities(options: Options) -> Stage:
    from policytext.entities import JIEBA_ENTITY_SOURCE, entity_finder

    find = entity_finder(options.segmenter, options.user_dicts)
    own = callable(getattr(options.segmenter, "entities", None))
    version = options.segmenter.version if own else f"{JIEBA_ENTITY_SOURCE} v1"
    return Stage("entities", version, (), ("entities",), lambda doc: {"entities": find(doc.text)})


def _classify(options: Options) -> Stage:
    from policytext.classify import VERSION, PassageModel, classify_many, split_passages

    model = PassageModel.load(options.passage_model)  # once per pipeline, explicitly

    def run_many(docs: Sequence[Document]) -> Sequence[Layers]:
        return classify_many([(doc, split_passages(doc)) for doc in docs], model)

    return Stage(
        "classify",
        VERSION,
        ("paragraphs", "headings", "sentences"),
        ("paragraphs",),
        lambda doc: run_many([doc])[0],
        run_many,
    )


def _extractor(
    name: str, version: str, provides: tuple[str, ...], run: Callable[[Document], Layers]
) -> Callable[[Options], Stage]:
    """A stage factory for an extractor that reads the layout layers."""
    return lambda options: Stage(name, version, ("paragraphs", "sentences"), provides, run)


#: Stage factories by name.
STAGES: dict[str, Callable[[Options], Stage]] = {
    "layout": _layout,
    "segment": _segment,
    "enumerations": _extractor(
        "enumerations",
        enumerations.VERSION,
        ("enumerations", "dash_lists"),
        enumerations.extract_enumerations,
    ),
    "slogans": _extractor("slogans", slogans.VERSION, ("slogans",), slogans.extract_slogans),
    "figures": _extractor("figures", figures.VERSION, ("figures",), figures.extract_figures),
    "citations": _extractor(
        "citations", citations.VERSION, ("citations",), citations.extract_citations
    ),
    "entities": _entities,
    "classify": _classify,
}

#: The stages a default pipeline runs, in order.
DEFAULT_STAGES: tuple[str, ...] = (
    "layout",
    "segment",
    "enumerations",
    "slogans",
    "figures",
    "citations",
    "classify",
)


class Pipeline:
    """Stages and options chosen once; call it on a text or ``pipe`` many texts.

    ``segmenter`` is ``"jieba"`` (default), ``"rjieba"`` (the fast path) or
    ``"hanlp"`` (``hanlp_model``: HanLP model folders or identifiers, see
    ``docs/hanlp.md``);
    ``pos`` adds part-of-speech tags to tokens; ``user_dicts`` are extra jieba
    dictionary files; ``passage_model`` is a model ``policytext train`` wrote
    (default: the shipped one); ``stages`` names the stages to run (default:
    :data:`DEFAULT_STAGES`) and ``exclude`` drops some of them.
    """

    def __init__(
        self,
        stages: Sequence[str] | None = None,
        *,
        exclude: Sequence[str] = (),
        segmenter: str = "jieba",
        pos: bool = False,
        user_dicts: Sequence[str | os.PathLike[str]] = (),
        hanlp_model: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
        passage_model: str | os.PathLike[str] | None = None,
    ) -> None:
        names = [s for s in (DEFAULT_STAGES if stages is None else stages) if s not in exclude]
        unknown = [s for s in [*names, *exclude] if s not in STAGES]
        if unknown:
            raise OptionError(
                f"stages: {', '.join(map(repr, unknown))} unknown; choose from {', '.join(STAGES)}"
            )
        self.options = Options(
            make_segmenter(segmenter, pos=pos, user_dicts=user_dicts, hanlp_model=hanlp_model),
            tuple(user_dicts),
            passage_model,
        )
        self.stages = tuple(STAGES[name](self.options) for name in names)
        provided: set[str] = set()
        for stage in self.stages:
            missing = [layer for layer in stage.requires if layer not in provided]
            if missing:
                raise StageError(
                    f"stage {stage.name!r} requires {', '.join(missing)}, "
                    "which no earlier stage provides"
                )
            provided.update(stage.provides)

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the stages, in order."""
        return tuple(stage.name for stage in self.stages)

    def __call__(self, text: str, meta: Mapping[str, Any] | None = None) -> Document:
        """Annotate one text; a text that is not valid Unicode raises :class:`InputError`."""
        (result,) = self.annotate_many([(text, meta)])
        if isinstance(result, PolicytextError):
            raise result
        return result

    def annotate_many(
        self, items: Iterable[tuple[str, Mapping[str, Any] | None]]
    ) -> list[Document | PolicytextError]:
        """Annotate ``(text, meta)`` pairs together, stage by stage, in order.

        Each result is the document, or the :class:`PolicytextError` that stopped
        it; the other texts go on. Running each stage over several texts in a row
        keeps its code and tables in the processor's caches, which jieba's large
        dictionary would otherwise evict after every text.
        """
        results: list[Document | PolicytextError] = []
        for text, meta in items:
            doc = Document(text, meta=dict(meta or {}))
            try:
                _check_unicode(text, doc.id or "<text>")
            except InputError as e:
                results.append(e)
            else:
                results.append(doc)
        for stage in self.stages:
            live = [(k, result) for k, result in enumerate(results) if isinstance(result, Document)]
            docs = [doc for _, doc in live]
            if stage.run_many is not None and len(docs) > 1:
                added = _run_many(stage, stage.run_many, docs)
            else:
                added = [_run(stage, doc) for doc in docs]
            for (k, _), result in zip(live, added, strict=True):
                results[k] = result
        return results

    @overload
    def pipe(
        self,
        texts: Iterable[str | tuple[str, Mapping[str, Any]]],
        batch_size: int = 64,
        *,
        errors: Literal["raise"] = "raise",
    ) -> Iterator[Document]: ...

    @overload
    def pipe(
        self,
        texts: Iterable[str | tuple[str, Mapping[str, Any]]],
        batch_size: int = 64,
        *,
        errors: Literal["yield"],
    ) -> Iterator[Document | PolicytextError]: ...

    def pipe(
        self,
        texts: Iterable[str | tuple[str, Mapping[str, Any]]],
        batch_size: int = 64,
        *,
        errors: Literal["raise", "yield"] = "raise",
    ) -> Iterator[Document | PolicytextError]:
        """Annotate many texts, lazily and in order; each item is a text or a ``(text, meta)``
        pair.

        Texts are annotated ``batch_size`` at a time (and at most :data:`BATCH_CHARS`
        characters), stage by stage (see :meth:`annotate_many`): faster than one
        call per text. With ``errors="raise"``, an error is raised once the
        documents before it are yielded; with ``errors="yield"``, the
        :class:`PolicytextError` that stopped a text is yielded in its place and
        the others go on.
        """
        if batch_size < 1:
            raise OptionError(f"batch_size: must be at least 1, not {batch_size}")
        if errors not in ("raise", "yield"):
            raise OptionError(f"errors: must be 'raise' or 'yield', not {errors!r}")
        for batch in _batches(texts, batch_size):
            for result in self.annotate_many(batch):
                if errors == "raise" and isinstance(result, PolicytextError):
                    raise result
                yield result


#: The most characters of text :meth:`Pipeline.pipe` holds in one batch.
BATCH_CHARS = 1_000_000


def _batches(
    texts: Iterable[str | tuple[str, Mapping[str, Any]]], size: int
) -> Iterator[list[tuple[str, Mapping[str, Any] | None]]]:
    batch: list[tuple[str, Mapping[str, Any] | None]] = []
    chars = 0
    for item in texts:
        text, meta = (item, None) if isinstance(item, str) else item
        batch.append((text, meta))
        chars += len(text)
        if len(batch) == size or chars >= BATCH_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _run(stage: Stage, doc: Document) -> Document | PolicytextError:
    """``doc`` with the layers of ``stage``, or the error that stopped it."""
    try:
        layers = stage.run(doc)
    except PolicytextError as e:
        return e
    except Exception as e:  # a bug in a stage: say which stage and which document
        error = StageError(f"stage {stage.name!r} failed on {doc.id or 'text'}: {e!r}")
        error.__cause__ = e
        return error
    return _added(stage, doc, layers)


def _run_many(
    stage: Stage,
    run_many: Callable[[Sequence[Document]], Sequence[Layers]],
    docs: Sequence[Document],
) -> list[Document | PolicytextError]:
    """``docs`` with the layers ``run_many`` (the stage's) gives them all at once; where that
    fails on one of them, each is run alone, so that the error is found and kept with its own."""
    try:
        found = run_many(docs)
    except Exception:
        return [_run(stage, doc) for doc in docs]
    return [_added(stage, doc, layers) for doc, layers in zip(docs, found, strict=True)]


def _added(stage: Stage, doc: Document, layers: Layers) -> Document | PolicytextError:
    try:
        return doc.with_layers(provenance=dict.fromkeys(layers, stage.version), **layers)
    except PolicytextError as e:  # a layer outside the text
        return e


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_unicode(text: str, where: str) -> None:
    """Refuse lone surrogates: they cannot be written as UTF-8."""
    found = _SURROGATE.search(text)
    if found is not None:
        raise InputError(
            where,
            f"has a lone surrogate U+{ord(found.group()):04X} at offset {found.start()}: "
            "not valid Unicode (decode the bytes strictly, or replace it)",
        )


@lru_cache(maxsize=4)
def _default_pipeline(segmenter: str) -> Pipeline:
    return Pipeline(segmenter=segmenter)


def annotate(text: str, *, segmenter: str = "jieba") -> Document:
    """Annotate ``text`` with the default pipeline (built once, then reused).

    ```pycon
    >>> doc = annotate("主要成效\\n一是进一步推动了科学发展。")
    >>> [doc.text_of(h) for h in doc.headings]
    ['主要成效']

    ```
    """
    return _default_pipeline(segmenter)(text)
