"""The shipped, editable data tables: section headings, policy words, slogan formulas.

Each table is a UTF-8 text file in ``policytext/data`` with a version line
(``# … version N``); users can pass their own file in the same format.

```pycon
>>> heading_function("基本做法")
'practice'

```
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources

from policytext.errors import InputError

__all__ = [
    "Heading",
    "alternation",
    "data_path",
    "heading_function",
    "heading_rows",
    "lexicon_version",
    "read_table",
]

_VERSION = re.compile(r"version\s+(\d+)")


def data_path(name: str) -> str:
    """The path of a shipped data file."""
    return str(resources.files("policytext").joinpath("data").joinpath(name))


def read_table(path: str | os.PathLike[str]) -> Iterator[tuple[int, list[str]]]:
    """The rows of a tab-separated table as ``(line number, fields)``, without comments."""
    where = os.fspath(path)
    try:
        with open(where, encoding="utf-8-sig") as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise InputError(where, f"cannot be read: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise InputError(where, f"is not UTF-8 (byte {e.start})") from None
    for n, line in enumerate(lines, 1):
        if line.strip() and not line.startswith("#"):
            yield n, [field.strip() for field in line.split("\t")]


def alternation(words: Iterable[tuple[str, str]]) -> str:
    """A regex alternation of a table's ``(word, guard)`` pairs, longest word first, each word
    followed by its guard (a pattern, or ``""``).

    The words are grouped by their first character (``三(?:严三实|个代表)|四(?:风)``):
    the regex engine skips ahead to those characters and tries only the words that
    open with the one it finds there.
    """
    groups: dict[str, list[str]] = {}
    for word, guard in sorted(words, key=lambda pair: (-len(pair[0]), pair[0])):
        groups.setdefault(word[0], []).append(re.escape(word[1:]) + guard)
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in groups.items())


def lexicon_version(path: str | os.PathLike[str]) -> str:
    """The version a table declares in its header (``# … version 3`` → ``"3"``), or ``"0"``."""
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            if not line.startswith("#"):
                break
            found = _VERSION.search(line)
            if found:
                return found.group(1)
    return "0"


Heading = tuple[str, str, bool]  # (title, function, match by containment)

_FUNCTIONS = ("practice", "outcome", "lesson", "plan", "other")


def _read_headings(path: str) -> tuple[Heading, ...]:
    rows: list[Heading] = []
    for n, fields in read_table(path):
        if len(fields) != 2 or fields[1] not in _FUNCTIONS:
            raise InputError(
                f"{path}:{n}", f"expected 'TITLE<TAB>FUNCTION' with FUNCTION one of {_FUNCTIONS}"
            )
        title, function = fields
        rows.append((title.lstrip("~"), function, title.startswith("~")))
    return tuple(rows)


@cache
def heading_rows(path: str | None = None) -> tuple[Heading, ...]:
    """The heading table as ``(title, function, contains)`` rows, in file order."""
    return _read_headings(path or data_path("headings.tsv"))


def heading_function(title: str, path: str | None = None, contains: bool = True) -> str | None:
    """The function a section title announces: an exact entry first, then the first contained one.

    With ``contains=False`` only exact entries count (for unnumbered lines,
    where a contained word is weak evidence that the line is a heading at all).

    ```pycon
    >>> heading_function("一、2025年工作回顾")
    'practice'
    >>> heading_function("常态化安排")
    'plan'

    ```
    """
    rows, exact, contained_any = _heading_index(path)
    core = title.strip(" \u3000：:。.")
    if core.endswith(exact):  # most titles end with no entry: one test, not one per row
        for entry, function, contained in rows:
            if not contained and core.endswith(entry) and len(core) - len(entry) <= 6:
                return function
    if contains and contained_any.search(core):
        for entry, function, contained in rows:
            if contained and entry in core:
                return function
    return None


@cache
def _heading_index(
    path: str | None,
) -> tuple[tuple[Heading, ...], tuple[str, ...], re.Pattern[str]]:
    """The heading rows, their exact titles, and a pattern that finds any contained one."""
    rows = heading_rows(path)
    contained = [re.escape(entry) for entry, _, is_contained in rows if is_contained]
    return (
        rows,
        tuple(entry for entry, _, is_contained in rows if not is_contained),
        re.compile("|".join(contained) or "(?!)"),
    )
