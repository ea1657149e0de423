"""Named entities: people, places and organisations.

The ``entities`` stage takes them from the segmenter where it can find them
itself (a HanLP model with a recogniser, see :mod:`policytext.hanlp`), and
otherwise from jieba's part-of-speech tags (``nr``, ``ns``, ``nt``): the
weaker source, and marked so in each span's ``source``.

```pycon
>>> from policytext.segment import JiebaSegmenter
>>> text = "通辽市表彰了蒋青春等先进典型"
>>> tokens = JiebaSegmenter(pos=True).segment(text)
>>> [(text[e.start:e.end], e.label) for e in jieba_entities(text, tokens)]
[('通辽市', 'place'), ('蒋青春', 'person')]

```
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence

from policytext.document import Span
from policytext.errors import StageError
from policytext.segment import JiebaSegmenter

__all__ = ["JIEBA_ENTITY_SOURCE", "JIEBA_ENTITY_TAGS", "entity_finder", "jieba_entities"]

#: jieba's part-of-speech tags that name an entity → policytext labels.
JIEBA_ENTITY_TAGS: Mapping[str, str] = {
    "nr": "person",
    "nrfg": "person",
    "nrt": "person",
    "ns": "place",
    "nt": "organization",
}

#: The ``source`` of entities read from jieba's tags: weaker than a trained recogniser.
JIEBA_ENTITY_SOURCE = "jieba pos tags (weak)"

#: Administrative units that jieba cuts off a place name (通辽/ns 市/n → 通辽市).
PLACE_SUFFIXES = frozenset("省市县区旗盟镇乡村州")


def _blank(text: str) -> bool:
    return not text.strip()


def jieba_entities(text: str, tokens: Sequence[Span]) -> tuple[Span, ...]:
    """People, places and organisations read from jieba's part-of-speech tags.

    ``tokens`` are jieba tokens of ``text`` with their tags (``pos=True``).
    Runs of tokens with the same entity tag join (中央/nt 领导小组/nt); a
    one-character surname joins the one- or two-character name after it
    (蒋/nr 青春/ns → 蒋青春); a place takes an administrative unit cut off
    after it (通辽/ns 市/n → 通辽市). One-character entities are left out.
    Each span's ``source`` is :data:`JIEBA_ENTITY_SOURCE`.
    """
    if tokens and all(not t.label for t in tokens):
        raise StageError("entities: jieba tokens need their part-of-speech tags (pos=True)")
    items = [t for t in tokens if not _blank(text[t.start : t.end])]
    spans: list[Span] = []
    i = 0
    while i < len(items):
        first = items[i]
        label = JIEBA_ENTITY_TAGS.get(first.label)
        j = i + 1
        if label is None:
            i = j
            continue
        end = first.end
        tags = [first.label]
        nxt = items[j] if j < len(items) else None
        if (
            label == "person"
            and first.end - first.start == 1
            and nxt is not None
            and nxt.start == end
            and 1 <= nxt.end - nxt.start <= 2
            and nxt.label[:1] in ("n", "a")
        ):
            end, j = nxt.end, j + 1
            tags.append(nxt.label)
        else:
            while (
                j < len(items)
                and items[j].start == end
                and JIEBA_ENTITY_TAGS.get(items[j].label) == label
            ):
                end = items[j].end
                tags.append(items[j].label)
                j += 1
            if (
                label == "place"
                and j < len(items)
                and items[j].start == end
                and text[items[j].start : items[j].end] in PLACE_SUFFIXES
            ):
                end = items[j].end
                tags.append(items[j].label)
                j += 1
        if end - first.start > 1:
            spans.append(Span(first.start, end, label, JIEBA_ENTITY_SOURCE, {"tags": tags}))
        i = j
    return tuple(spans)


def entity_finder(
    segmenter: object, user_dicts: Sequence[str | os.PathLike[str]] = ()
) -> Callable[[str], tuple[Span, ...]]:
    """The function an ``entities`` stage runs: the segmenter's own, else jieba's tags.

    A segmenter with an ``entities(text)`` method (:class:`HanlpSegmenter`)
    finds them itself; for any other, a private jieba tagger (built once, here)
    feeds :func:`jieba_entities`.
    """
    own = getattr(segmenter, "entities", None)
    if callable(own):
        return own  # type: ignore[no-any-return]
    tagger = JiebaSegmenter(pos=True, user_dicts=user_dicts)
    return lambda text: jieba_entities(text, tagger.segment(text))
