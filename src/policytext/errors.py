"""The errors policytext raises on bad input.

Every error a user can provoke is a :class:`PolicytextError`. Each leaf also
subclasses the matching built-in, so ``except ValueError`` still works.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "InputError",
    "OptionError",
    "PolicytextError",
    "SchemaError",
    "StageError",
    "caret",
]


class PolicytextError(Exception):
    """Base class of every error policytext raises on bad input or options."""


class InputError(PolicytextError, ValueError):
    """A file or text that cannot be read: binary, undecodable, empty where text is needed.

    The message names the file (or ``<text>``) and the problem.
    """

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class OptionError(PolicytextError, ValueError):
    """An option with a value policytext does not accept; the message says what is allowed."""


class SchemaError(PolicytextError, ValueError):
    """A JSON document that does not follow the policytext JSON Schema."""


class StageError(PolicytextError, RuntimeError):
    """A pipeline stage that cannot be built or run; the message names the stage."""


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def caret(text: str, start: int, end: int | None = None) -> str:
    """Show ``text[start:end]`` on its line with a caret line under it.

    Display columns are counted, so the caret sits under CJK characters too.

    ```pycon
    >>> print(caret("一是强化组织领导。", 2, 4))
    一是强化组织领导。
        ^^^^

    ```
    """
    end = start + 1 if end is None else max(end, start + 1)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    line = text[line_start:line_end]
    lead = _width(text[line_start:start])
    mark = max(1, _width(text[start : min(end, line_end)]))
    return f"{line}\n{' ' * lead}{'^' * mark}"
