"""The documentation says what the code does."""

from __future__ import annotations

import re

import pytest

from policytext.schema import schema
from tests.conftest import REPO


@pytest.mark.parametrize("field", sorted(schema()["properties"]))
def test_json_format_page_describes_every_field(field: str) -> None:
    page = (REPO / "docs" / "json-format.md").read_text(encoding="utf-8")
    assert f"`{field}`" in page


def test_readme_quick_start_has_exactly_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", quick, re.S)
    assert [len(b.strip().splitlines()) for b in blocks] == [1, 1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip() in ci  # CI runs the README's test command as written
