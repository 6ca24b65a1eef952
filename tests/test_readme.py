"""The README stays true: its examples run, and its options and figures match the code."""

from __future__ import annotations

import doctest
import inspect
import json
import os
import pathlib
import re
import shlex
import subprocess
import sys

import pytest

from uagate import UAGateMiddleware
from uagate.page import render_page

from .conftest import ROOT, RunCli

README = (ROOT / "README.md").read_text(encoding="utf-8")
OPTIONS_DOC = (ROOT / "docs" / "options.md").read_text(encoding="utf-8")
DOCS = [README] + [
    path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md"))
]


def test_doc_examples_run() -> None:
    """Every >>> example in the README and docs/ gives the output it shows."""
    attempted = 0
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        result = doctest.testfile(str(path), module_relative=False)
        assert result.failed == 0, path
        attempted += result.attempted
    assert attempted >= 5


def test_every_option_has_its_own_section() -> None:
    """Each keyword option of UAGateMiddleware has a '## `name`' section in docs/options.md."""
    parameters = inspect.signature(UAGateMiddleware).parameters
    options = {name for name, p in parameters.items() if p.kind is p.KEYWORD_ONLY}
    documented = set(re.findall(r"^## `(\w+)`", OPTIONS_DOC, flags=re.MULTILINE))
    assert documented == options
    start = README.index("## Options")
    table = set(re.findall(r"^\| `(\w+)` \|", README[start:], flags=re.MULTILINE))
    assert table == options


def test_page_size_quoted_is_the_real_one() -> None:
    """The page size the README and docs/page.md quote is the size of the page served."""
    size = len(render_page().encode("utf-8"))
    page_doc = (ROOT / "docs" / "page.md").read_text(encoding="utf-8")
    assert f"In English it is {size:,} bytes" in page_doc
    assert f"content-length: {size}" in README


def test_every_option_section_gives_type_default_and_an_example() -> None:
    """Each option's section says its type and default and shows it in a python block."""
    sections = re.split(r"^## `", OPTIONS_DOC, flags=re.MULTILINE)[1:]
    for section in sections:
        name = section.split("`", 1)[0]
        body = section.split("\n", 1)[1]
        assert "- type:" in body, name
        assert "- default:" in body, name
        assert f"{name}=" in body.split("```python", 1)[1], name


def test_readme_is_short() -> None:
    """The README stays a five-minute read: at most 400 lines."""
    assert len(README.splitlines()) <= 400


def console_examples() -> list[tuple[str, str]]:
    """Each ``$ uagate ...`` line of the README's console blocks, with the output shown."""
    examples = []
    for block in (b for doc in DOCS for b in re.findall(r"```console\n(.*?)```", doc, re.DOTALL)):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            if command.startswith("uagate "):
                examples.append((command, output))
    return examples


@pytest.mark.parametrize(("command", "output"), console_examples())
def test_readme_command_output_is_real(command: str, output: str, run_cli: RunCli) -> None:
    """Each uagate command the README shows prints exactly the output shown.

    Run in this process from the checkout, as tests/test_cli.py runs the command.
    """
    assert run_cli(*shlex.split(command)[1:], cwd=ROOT).out == output


def test_docs_show_every_command() -> None:
    """docs/cli.md has a section per uagate command; check, scan and page are run above."""
    cli = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^#+ `uagate (\w+)[` ]", cli, flags=re.MULTILINE))
    assert {"check", "scan", "serve", "demo", "page", "notice", "export"} <= sections
    shown = {command.split()[1] for command, _ in console_examples()}
    assert {"check", "scan", "page"} <= shown


SNIPPETS = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)

# Runs one README snippet in its own process, in a folder with a Django project and a
# ``myapp`` module beside it, then asks its app for "/" as IE 11 and as Chrome.
HARNESS = """
import asyncio, json, logging, sys
import httpx
from uagate.testing import CHROME, IE11
import importlib
namespace = vars(importlib.import_module("snippet"))  # a real module: frameworks read its hints
if "LOGGING" in namespace:
    import logging.config
    logging.config.dictConfig(namespace["LOGGING"])
    logging.getLogger("uagate").info("configured")
    print(json.dumps({"logging": "configured"}))
    sys.exit(0)
if "MIDDLEWARE" in namespace:  # a Django settings module: its project as a WSGI app
    import os
    os.environ["DJANGO_SETTINGS_MODULE"] = "snippet"
    from django.core.wsgi import get_wsgi_application
    namespace["app"] = get_wsgi_application()
app = namespace.get("app") or namespace.get("application")
async def get(agent):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/", headers={"User-Agent": agent})
        return response.status_code, response.text
def get_wsgi(agent):
    transport = httpx.WSGITransport(app=app)
    with httpx.Client(transport=transport, base_url="http://testserver") as client:
        response = client.get("/", headers={"User-Agent": agent})
        return response.status_code, response.text
if "MIDDLEWARE" in namespace or hasattr(app, "wsgi_app"):  # Django under WSGI, Flask
    ie, chrome = get_wsgi(IE11), get_wsgi(CHROME)
else:
    ie, chrome = asyncio.run(get(IE11)), asyncio.run(get(CHROME))
print(json.dumps({"ie": ie[0], "chrome": chrome[0], "chrome_text": chrome[1]}))
"""

DJANGO_PROJECT = {
    "mysite/__init__.py": "",
    "mysite/settings.py": (
        "SECRET_KEY = 'readme'\nALLOWED_HOSTS = ['*']\nROOT_URLCONF = 'mysite.urls'\n"
        "INSTALLED_APPS = []\nUSE_TZ = True\n"
    ),
    "mysite/urls.py": (
        "from django.http import HttpResponse\nfrom django.urls import path\n"
        "urlpatterns = [path('', lambda request: HttpResponse('Hello'))]\n"
    ),
    "myapp.py": (
        "from starlette.responses import PlainTextResponse\n"
        "from uagate import UAGateMiddleware\n"
        "app = UAGateMiddleware(PlainTextResponse('Hello'))\n"
    ),
}


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[f"snippet-{i}" for i in range(len(SNIPPETS))])
def test_readme_python_snippets_run(snippet: str, tmp_path: pathlib.Path) -> None:
    """Each README snippet runs: its app gates IE and serves Chrome, or its test passes."""
    for name, text in DJANGO_PROJECT.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    if "def test_" in snippet:
        (tmp_path / "test_snippet.py").write_text(snippet, encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "test_snippet.py",
        ]
    else:
        (tmp_path / "snippet.py").write_text(snippet, encoding="utf-8")
        command = [sys.executable, "-c", HARNESS]
    # The snippet's test needs no pytest plugin: without loading the test extra's (faker's,
    # hypothesis's), its pytest starts in a third of the time.
    result = subprocess.run(
        command, capture_output=True, cwd=tmp_path, timeout=120, check=False, text=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    if "def test_" in snippet:
        assert "2 passed" not in result.stdout or "failed" not in result.stdout
        assert re.search(r"\b1 passed", result.stdout), result.stdout
        return
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    if "LOGGING" in snippet:
        assert "configured" in result.stderr
        return
    assert outcome["chrome"] == 200
    assert "Hello" in outcome["chrome_text"]
    if "report_only=True" in snippet:
        assert outcome["ie"] == 200
        assert "would gate GET /: IE 11.0 (internet-explorer)" in result.stderr
    else:
        assert outcome["ie"] == 406


def readme_section(title: str) -> str:
    """The README's section under ``## title``, up to the next ``## ``."""
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else len(README)]


# Run in a child process: every installed top-level module whose distribution is outside
# the names given and their requirements (with the extras asked for, recursively) is
# hidden, so the test runs as in a fresh virtualenv holding only what the README
# installs. Warnings are errors: a deprecated client (httpx under today's Starlette)
# fails it too.
ONLY_INSTALLED = """
import importlib.machinery, importlib.metadata as metadata, json, re, sys
import pytest
from packaging.requirements import Requirement
def key(name):
    return re.sub(r"[-_.]+", "-", name).lower()
allowed, seen, todo = set(), set(), [(name, "") for name in json.loads(sys.argv[1])]
while todo:  # each (distribution, extra) once: bounded by what is installed
    name, extra = todo.pop()
    if (key(name), extra) in seen:
        continue
    seen.add((key(name), extra))
    allowed.add(key(name))
    try:
        requires = metadata.distribution(name).requires or []
    except metadata.PackageNotFoundError:
        continue
    for text in requires:
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate({"extra": extra}):
            todo += [(requirement.name, wanted) for wanted in ("", *requirement.extras)]
hidden = {
    module for module, names in metadata.packages_distributions().items()
    if not {key(name) for name in names} & allowed
}
class Installed(importlib.machinery.PathFinder):
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name.partition(".")[0] in hidden:
            return None  # as if it were not installed
        return super().find_spec(name, path, target)
sys.meta_path = [
    Installed if finder is importlib.machinery.PathFinder else finder for finder in sys.meta_path
]
sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", "-W", "error", "tests/test_gate.py"]))
"""


def test_testing_section_installs_what_its_test_needs(tmp_path: pathlib.Path) -> None:
    """The testing section names what to install, and its test passes with only that.

    The test is laid out as the section says (tests/test_gate.py, myapp.py at the root)
    and run as it says (python -m pytest from the root), with every installed package
    that is not named, nor required by one named, hidden from it.
    """
    section = readme_section("Test your app with it")
    install = re.findall(r"^pip install (.+)$", section, flags=re.MULTILINE)
    assert len(install) == 1, install
    named = [word.strip("'\"") for word in install[0].split()]
    # A path stands for the project it holds: /path/to/uagate is uagate.
    names = [pathlib.PurePath(word).name if "/" in word else word for word in named]
    assert sorted(names) == ["httpx2", "pytest", "uagate"]
    assert "from myapp import app" in section
    assert "`myapp` is the module that builds it" in section
    assert "`python -m pytest` from the project's root" in section
    assert "save it as `tests/test_gate.py`" in section.lower()
    (snippet,) = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_gate.py").write_text(snippet, encoding="utf-8")
    (tmp_path / "myapp.py").write_text(DJANGO_PROJECT["myapp.py"], encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", ONLY_INSTALLED, json.dumps(names)],
        capture_output=True, cwd=tmp_path, timeout=120, check=False, text=True,
        env={**environment, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b1 passed\b", result.stdout), result.stdout


def test_readme_says_why_chromium_with_an_ie_user_agent_is_not_gated() -> None:
    """The quick start says why Chromium with --user-agent is not gated, and how to see the gate.

    tests/test_browser.py checks each claim in Chromium against the demo.
    """
    section = " ".join(readme_section("Quick start").split())
    for claim in (
        "Chromium started with `--user-agent`",
        "keeps sending `Sec-CH-UA` naming Chromium",
        "trusts over the User-Agent",
        "`curl -A`",
        "DevTools > Network conditions > User agent, Internet Explorer 11",
        "client hints left empty",
    ):
        assert claim in section, claim
