"""The README stays true: its examples run, and its options and figures match the code."""

from __future__ import annotations

import doctest
import inspect
import re

from uagate import UAGateMiddleware
from uagate.page import render_page

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_examples_run() -> None:
    """Every >>> example in the README gives the output it shows."""
    result = doctest.testfile(str(ROOT / "README.md"), module_relative=False)
    assert result.attempted >= 5
    assert result.failed == 0


def test_every_option_has_its_own_section() -> None:
    """Each keyword option of UAGateMiddleware has a '### `name`' section, and no other."""
    parameters = inspect.signature(UAGateMiddleware).parameters
    options = {name for name, p in parameters.items() if p.kind is p.KEYWORD_ONLY}
    start = README.index("## Options")
    end = README.index("\n## ", start + 1)
    documented = set(re.findall(r"^### `(\w+)`", README[start:end], flags=re.MULTILINE))
    assert documented == options


def test_page_size_quoted_is_the_real_one() -> None:
    """The page size the README quotes is the size of the page served."""
    size = len(render_page().encode("utf-8"))
    assert f"In English it is {size:,} bytes" in README
    assert f"content-length: {size}" in README


def test_every_option_section_gives_type_default_and_an_example() -> None:
    """Each option's section says its type and default and shows it in a python block."""
    start = README.index("## Options")
    end = README.index("\n## ", start + 1)
    sections = re.split(r"^### `", README[start:end], flags=re.MULTILINE)[1:]
    for section in sections:
        name = section.split("`", 1)[0]
        body = section.split("\n", 1)[1]
        assert "- type:" in body, name
        assert "- default:" in body, name
        assert f"{name}=" in body.split("```python", 1)[1], name
