"""policytext: Chinese policy articles as structured, checkable data.

```pycon
>>> import policytext
>>> doc = policytext.annotate("基本做法\\n一是强化组织领导。二是突出实践特色。")
>>> [doc.text_of(s) for s in doc.sentences]
['基本做法', '一是强化组织领导。', '二是突出实践特色。']

```
"""

from __future__ import annotations

__version__ = "0.3.0"

from policytext.document import Document, Span
from policytext.errors import InputError, OptionError, PolicytextError, SchemaError, StageError
from policytext.pipeline import Pipeline, annotate
from policytext.read import SourceText, decode, read
from policytext.schema import schema, validate

__all__ = [
    "Document",
    "InputError",
    "OptionError",
    "Pipeline",
    "PolicytextError",
    "SchemaError",
    "SourceText",
    "Span",
    "StageError",
    "__version__",
    "annotate",
    "decode",
    "read",
    "schema",
    "validate",
]
