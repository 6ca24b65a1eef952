"""The README stays true: its examples run, and its options and figures match the code."""

from __future__ import annotations

import doctest
import inspect
import re
import shlex
import subprocess
import sys

import pytest

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


def console_examples() -> list[tuple[str, str]]:
    """Each ``$ uagate ...`` line of the README's console blocks, with the output shown."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.DOTALL):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            if command.startswith("uagate "):
                examples.append((command, output))
    return examples


@pytest.mark.parametrize(("command", "output"), console_examples())
def test_readme_command_output_is_real(command: str, output: str) -> None:
    """Each uagate command the README shows prints exactly the output shown."""
    result = subprocess.run(
        [sys.executable, "-m", "uagate", *shlex.split(command)[1:]],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
        text=True,
    )
    assert result.stdout == output


def test_readme_shows_every_command() -> None:
    """The README has a section per uagate command, each run in the examples above."""
    sections = set(re.findall(r"^### `uagate (\w+)`", README, flags=re.MULTILINE))
    assert sections == {"check", "scan", "serve", "demo", "page"}
    shown = {command.split()[1] for command, _ in console_examples()}
    assert {"check", "scan", "page"} <= shown
