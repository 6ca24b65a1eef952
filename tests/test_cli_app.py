"""``--app MODULE:APP``: check, scan and export nginx read the gate an app already mounts.

Each app is a module written to the test's folder and imported by the command
run in-process (``run_cli``); one test puts the export in front of a real nginx.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from uagate import GateConfig, Policy, UAGateMiddleware, testing
from uagate._app import MAX_DEPTH, MountError, mounted_config, mounted_gates
from uagate.nginx import HTTP_CONF, SERVER_CONF, http_conf
from uagate.testing import CHROME, IE11

from .conftest import CHROME_100, RunCli, combined, example, hello_asgi, nginx_serving
from .conftest import http_get as get

STARLETTE = """
from starlette.applications import Starlette
from starlette.middleware import Middleware
from uagate import Policy, UAGateMiddleware

app = Starlette(middleware=[Middleware(UAGateMiddleware, {options})])
"""

FASTAPI = """
from fastapi import FastAPI
from uagate import Policy, UAGateMiddleware

app = FastAPI()
app.add_middleware(UAGateMiddleware, {options})
"""

WRAPPER = """
from starlette.applications import Starlette
from uagate import Policy, UAGateMiddleware

app = UAGateMiddleware(Starlette(), {options})
"""

# The gate inside another middleware, as uvicorn's and Starlette's keep the app as .app.
WRAPPED_WRAPPER = """
from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware
from uagate import Policy, UAGateMiddleware

app = GZipMiddleware(UAGateMiddleware(Starlette(), {options}))
"""

FLASK = """
from flask import Flask
from uagate import Policy
from uagate.wsgi import UAGateWSGIMiddleware

app = Flask(__name__)
app.wsgi_app = UAGateWSGIMiddleware(app.wsgi_app, {options})
"""

QUART = """
from quart import Quart
from uagate import Policy, UAGateMiddleware

app = Quart(__name__)
app.asgi_app = UAGateMiddleware(app.asgi_app, {options})
"""

LITESTAR = """
from litestar import Litestar
from litestar.middleware import DefineMiddleware
from uagate import Policy, UAGateMiddleware

app = Litestar(
    route_handlers=[],
    middleware=[DefineMiddleware(UAGateMiddleware, {options})],
    logging_config=None,
)
"""

GATE_CONFIG = """
from starlette.applications import Starlette
from starlette.middleware import Middleware
from uagate import GateConfig, Policy, UAGateMiddleware

app = Starlette(middleware=[Middleware(UAGateMiddleware, config=GateConfig({options}))])
"""

FACTORY = """
from starlette.applications import Starlette
from starlette.middleware import Middleware
from uagate import Policy, UAGateMiddleware

def create():
    return Starlette(middleware=[Middleware(UAGateMiddleware, {options})])
"""

APPS = {
    "starlette Middleware": STARLETTE,
    "fastapi add_middleware": FASTAPI,
    "UAGateMiddleware around the app": WRAPPER,
    "inside another middleware": WRAPPED_WRAPPER,
    "flask UAGateWSGIMiddleware": FLASK,
    "quart asgi_app": QUART,
    "litestar DefineMiddleware": LITESTAR,
    "Middleware(config=GateConfig)": GATE_CONFIG,
}

NO_GATE = """
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware

app = Starlette(middleware=[Middleware(GZipMiddleware)])
"""

STACKED = """
from starlette.applications import Starlette
from starlette.middleware import Middleware
from uagate import Policy, UAGateMiddleware

app = UAGateMiddleware(
    Starlette(middleware=[Middleware(UAGateMiddleware, policy=Policy.modern())]),
    exclude_paths=["/health"],
)
same = UAGateMiddleware(UAGateMiddleware(Starlette(), exclude_paths=["/a"]), exclude_paths=["/a"])
"""

# The options of the examples below: what export nginx carries out.
EXPORTED = (
    'policy=Policy.modern(), default_language="de", exclude_paths=["/health", "/static/"], '
    'methods=["GET", "HEAD"], vary_user_agent=True'
)


def write_app(folder: Path, template: str, options: str = "", name: str = "shop") -> Path:
    """``folder/name.py`` from ``template`` with ``options`` as the gate's keyword options."""
    path = folder / f"{name}.py"
    path.write_text(template.replace("{options}", options))
    return path


def one_error_line(result: Any) -> str:
    """The one line of a usage error (exit status 2, nothing on standard output)."""
    assert (result.code, result.out) == (2, ""), result.err
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    line: str = lines[0]
    return line


# finding the gate


@pytest.mark.parametrize("template", list(APPS.values()), ids=list(APPS))
def test_check_app_gives_the_verdict_of_the_apps_policy(
    run_cli: RunCli, tmp_path: Path, template: str
) -> None:
    """An app whose gate has Policy.modern() gates Chrome 100, which the default policy passes."""
    write_app(tmp_path, template, "policy=Policy.modern()")
    assert run_cli("check", CHROME_100, cwd=tmp_path).code == 0
    result = run_cli("check", "--app", "shop:app", CHROME_100, cwd=tmp_path)
    assert (result.code, result.err) == (1, "")
    assert result.out.split()[:2] == ["gated", "outdated"]


def test_check_app_with_factory_calls_it(run_cli: RunCli, tmp_path: Path) -> None:
    """--factory: the attribute is called, and the gate of what it returns is read."""
    write_app(tmp_path, FACTORY, "policy=Policy.modern()")
    result = run_cli("check", "--app", "shop:create", "--factory", CHROME_100, cwd=tmp_path)
    assert result.code == 1
    result = run_cli("check", "--app", "shop:create", CHROME_100, cwd=tmp_path)
    assert "mounts no uagate gate" in one_error_line(result)


def test_check_app_imports_from_app_dir(run_cli: RunCli, tmp_path: Path) -> None:
    """--app-dir DIR: the app is imported from there, not from the current directory."""
    (tmp_path / "src").mkdir()
    write_app(tmp_path / "src", WRAPPER, "policy=Policy.modern()")
    result = run_cli("check", "--app", "shop:app", "--app-dir", "src", CHROME_100, cwd=tmp_path)
    assert result.code == 1
    assert "no module named 'shop'" in one_error_line(
        run_cli("check", "--app", "shop:app", CHROME_100, cwd=tmp_path)
    )


@pytest.fixture
def django_settings() -> Iterator[None]:
    """Django settings with the gate in MIDDLEWARE and a UAGATE setting (Policy.modern())."""
    from django.test import override_settings

    # The process's settings are the Django example's, as the other Django tests need
    # them, whichever runs first (pytest-xdist orders the tests as it likes).
    example("django_app")
    with override_settings(
        MIDDLEWARE=["uagate.django.UAGateMiddleware"],
        UAGATE={"policy": Policy.modern(), "exclude_paths": ["/health"]},
    ):
        yield


@pytest.mark.parametrize("handler", ["wsgi.WSGIHandler", "asgi.ASGIHandler"])
@pytest.mark.usefixtures("django_settings")
def test_check_app_reads_a_django_handlers_gate_from_its_settings(
    run_cli: RunCli, tmp_path: Path, handler: str
) -> None:
    """A Django handler's gate is the UAGATE setting, when MIDDLEWARE names the adapter."""
    module, name = handler.split(".")
    (tmp_path / "site_app.py").write_text(
        f"from django.core.handlers.{module} import {name}\napp = {name}()\n"
    )
    result = run_cli("check", "--app", "site_app:app", CHROME_100, cwd=tmp_path)
    assert (result.code, result.err) == (1, "")
    assert result.out.split()[:2] == ["gated", "outdated"]


def test_check_app_verdicts_are_the_apps_gates_verdicts(run_cli: RunCli, tmp_path: Path) -> None:
    """For every testing User-Agent, check --app gates exactly what the app's gate gates.

    The gate reads 40 characters of a User-Agent: IE 11's Trident token lies beyond them,
    IE 6's MSIE token within them.
    """
    write_app(tmp_path, WRAPPER, "policy=Policy.modern(), max_user_agent_length=40")
    agents = sorted(
        {value for name in testing.__all__ if isinstance(value := getattr(testing, name), str)}
    )
    result = run_cli("check", "--app", "shop:app", "--json", *agents, cwd=tmp_path)
    said = {
        record["user_agent"]: record["gated"]
        for record in map(json.loads, result.out.split("\n")[:-1])
    }
    client = TestClient(
        UAGateMiddleware(hello_asgi, policy=Policy.modern(), max_user_agent_length=40)
    )
    gated = {ua: client.get("/", headers={"User-Agent": ua}).status_code == 406 for ua in agents}
    assert said == gated
    assert said[IE11] is False  # cut before its Trident token, as the gate cuts it
    assert said[testing.IE6] is True  # its MSIE token is within them


def test_an_app_without_a_gate_is_a_one_line_error(run_cli: RunCli, tmp_path: Path) -> None:
    """No gate anywhere in the app: one line naming the app, status 2."""
    write_app(tmp_path, NO_GATE)
    line = one_error_line(run_cli("check", "--app", "shop:app", IE11, cwd=tmp_path))
    assert line.startswith("uagate: error: --app shop:app mounts no uagate gate")


def test_two_different_gates_are_refused_and_the_same_twice_is_one(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Two gates with different options: an error naming both; the same options twice: read."""
    write_app(tmp_path, STACKED)
    line = one_error_line(run_cli("check", "--app", "shop:app", IE11, cwd=tmp_path))
    assert "mounts 2 uagate gates with different options" in line
    assert "UAGateMiddleware at shop:app," in line
    assert "UAGateMiddleware at shop:app.app.user_middleware[0]" in line
    assert run_cli("check", "--app", "shop:same", IE11, cwd=tmp_path).code == 1


@pytest.mark.parametrize(
    ("source", "target", "says"),
    [
        ("", "shop", "--app shop: not MODULE:APP"),
        ("", "nosuchmodule:app", "--app nosuchmodule:app: no module named 'nosuchmodule'"),
        ("app = 1\n", "shop:nope", "--app shop:nope: shop has no attribute 'nope'"),
        (
            "raise RuntimeError('no app today\\nsecond line')\n",
            "shop:app",
            "--app shop:app: cannot load it: RuntimeError: no app today",
        ),
        ("app = 1\n", "shop:app", "--app shop:app: --factory, but it is not callable"),
        (
            STARLETTE.replace("{options}", "status_code=302"),
            "shop:app",
            "--app shop:app.user_middleware[0]: UAGateMiddleware cannot be built: ValueError: "
            "UAGateMiddleware option status_code must be 200 or 400-599",
        ),
    ],
    ids=["no colon", "no module", "no attribute", "raises", "factory", "bad option"],
)
def test_an_app_that_does_not_load_is_a_one_line_error(
    run_cli: RunCli, tmp_path: Path, source: str, target: str, says: str
) -> None:
    """An import string, module, attribute or gate entry that fails: one line, status 2."""
    (tmp_path / "shop.py").write_text(source)
    factory = ["--factory"] if "factory" in says else []
    line = one_error_line(run_cli("check", "--app", target, *factory, IE11, cwd=tmp_path))
    assert line.startswith(f"uagate: error: {says}")


def test_the_walk_stops_at_cycles_and_at_its_depth() -> None:
    """An app whose .app is itself, and a chain deeper than the bound, end the walk."""

    class Wrapper:
        def __init__(self, app: object) -> None:
            self.app = app

    looped = Wrapper(None)
    looped.app = looped
    with pytest.raises(MountError, match="looped mounts no uagate gate"):
        mounted_config(looped, "looped")
    gate = UAGateMiddleware(hello_asgi, policy=Policy.modern())
    near: object = gate
    for _ in range(MAX_DEPTH):
        near = Wrapper(near)
    assert mounted_config(near, "near").policy == Policy.modern()
    assert mounted_gates(Wrapper(near), "far") == []


def test_a_bare_gate_class_in_litestars_middleware_is_a_gate_with_the_defaults() -> None:
    """Litestar takes a middleware class alone in its list: a gate with the default options."""

    class App:
        def __init__(self) -> None:
            self.middleware = [UAGateMiddleware]

    [gate] = mounted_gates(App(), "bare")
    assert (gate.kind, gate.where, gate.config) == (
        "UAGateMiddleware",
        "bare.middleware[0]",
        GateConfig(),
    )


def test_attributes_are_read_without_running_the_apps_code() -> None:
    """A property named app is not called: the walk reads what an object holds."""

    class Lazy:
        @property
        def app(self) -> object:
            raise AssertionError("the property was called")

    assert mounted_gates(Lazy(), "lazy") == []


# --app stands in for the options it reads


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (["check", IE11], ["--policy", "default"]),
        (["scan", "/dev/null"], ["--policy", "modern"]),
        (["export", "nginx", "--out", "out"], ["--policy", "default"]),
        (["export", "nginx", "--out", "out"], ["--default-language", "en"]),
        (["export", "nginx", "--out", "out"], ["--exclude-path", "/health"]),
        (["export", "nginx", "--out", "out"], ["--method", "GET"]),
        (["export", "nginx", "--out", "out"], ["--vary-user-agent"]),
    ],
)
def test_app_is_not_allowed_with_the_options_it_reads(
    run_cli: RunCli, tmp_path: Path, command: list[str], option: list[str]
) -> None:
    """--app and an option it reads from the app: argparse's error, status 2, nothing done."""
    write_app(tmp_path, WRAPPER)
    result = run_cli(*command, "--app", "shop:app", *option, cwd=tmp_path)
    assert (result.code, result.out) == (2, "")
    assert f"error: argument --app: not allowed with argument {option[0]}" in result.err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("option", [["--app-dir", "src"], ["--factory"]])
@pytest.mark.parametrize("command", [["check", IE11], ["scan", "/dev/null"]])
def test_app_dir_and_factory_go_only_with_app(
    run_cli: RunCli, command: list[str], option: list[str]
) -> None:
    """--app-dir and --factory without --app would be ignored: argparse's error instead."""
    result = run_cli(*command, *option)
    assert result.code == 2
    assert f"error: argument {option[0]}: only with --app" in result.err


# scan


def test_scan_app_decides_by_the_apps_policy_and_counts_every_path(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Scan --app counts Chrome 100 as gated, and counts requests to excluded paths too."""
    write_app(tmp_path, WRAPPER, 'policy=Policy.modern(), exclude_paths=["/health"]')
    log = tmp_path / "access.log"
    lines = [combined(1, CHROME_100), combined(1, CHROME), combined(1, IE11, path="/health")]
    log.write_text("\n".join(lines) + "\n")
    result = run_cli("scan", "--format", "json", "--app", "shop:app", str(log), cwd=tmp_path)
    assert (result.code, result.err) == (0, "")
    report = json.loads(result.out)
    assert (report["policy"], report["requests"], report["gated"]) == (
        "the gate of shop:app",
        3,
        2,
    )


def test_scan_app_refuses_a_gate_that_reads_user_agents_at_another_length(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """The scanner reads 512 characters of a User-Agent: a gate reading more is refused."""
    write_app(tmp_path, WRAPPER, "max_user_agent_length=1024")
    line = one_error_line(run_cli("scan", "--app", "shop:app", "/dev/null", cwd=tmp_path))
    assert "max_user_agent_length" in line
    assert "1024" in line


# export nginx


@pytest.mark.parametrize(
    "template", [STARLETTE, FASTAPI, FLASK], ids=["starlette", "fastapi", "flask"]
)
def test_export_nginx_app_writes_the_apps_options(
    run_cli: RunCli, tmp_path: Path, template: str
) -> None:
    """The maps are the export of the app's policy, language, exclusions, methods and Vary."""
    write_app(tmp_path, template, EXPORTED)
    result = run_cli("export", "nginx", "--app", "shop:app", "--out", "out", cwd=tmp_path)
    assert result.code == 0, result.err
    written = (tmp_path / "out" / HTTP_CONF).read_text()
    assert written == http_conf(
        Policy.modern(),
        default_language="de",
        exclude_paths=["/health", "/static/"],
        methods=["GET", "HEAD"],
        vary_user_agent=True,
    )
    assert '"~(*UCP)^/health" "1";' in written
    assert '"~(*UCP)^/static/" "1";' in written
    assert "add_header Vary $uagate_vary always;" in (tmp_path / "out" / SERVER_CONF).read_text()
    assert "With Vary (--vary-user-agent)" in result.err


REFUSED = {
    "exclude": ("exclude=lambda request: False", "exclude is a Python callable"),
    "exclude_paths pattern": (
        'exclude_paths=["/health", __import__("re").compile("^/api/v[0-9]+")]',
        "exclude_paths holds re.compile('^/api/v[0-9]+')",
    ),
    "page callable": ("page=lambda *args: None", "page is a callable"),
    "page template": ('page="<p>$heading</p>"', "page is a template of its own"),
    "status_code": ("status_code=403", "status_code is 403: the export answers 406"),
    "allow_continue": ("allow_continue=True", "allow_continue is on"),
    "report_only": ("report_only=True", "report_only is on"),
    "gate_websockets": ("gate_websockets=True", "gate_websockets is on"),
    "on_verdict": ("on_verdict=lambda request, verdict: None", "on_verdict is set"),
    "max_user_agent_length": ("max_user_agent_length=1024", "max_user_agent_length is 1024"),
    "predicate": (
        "policy=Policy(predicate=lambda client: False)",
        "a policy with a predicate cannot be exported to nginx",
    ),
}


@pytest.mark.parametrize(("options", "says"), list(REFUSED.values()), ids=list(REFUSED))
def test_export_nginx_app_refuses_what_nginx_cannot_do(
    run_cli: RunCli, tmp_path: Path, options: str, says: str
) -> None:
    """An option nginx cannot carry out as the gate does: one line naming it, nothing written."""
    write_app(tmp_path, WRAPPER, options)
    result = run_cli("export", "nginx", "--app", "shop:app", "--out", "out", cwd=tmp_path)
    line = one_error_line(result)
    assert line.startswith("uagate: error: --app shop:app: ")
    assert says in line
    assert not (tmp_path / "out").exists()


def test_export_nginx_app_names_every_option_it_refuses(run_cli: RunCli, tmp_path: Path) -> None:
    """Several untranslatable options: all are named in the one line, not the first alone."""
    write_app(tmp_path, WRAPPER, "report_only=True, allow_continue=True, status_code=403")
    line = one_error_line(
        run_cli("export", "nginx", "--app", "shop:app", "--out", "out", cwd=tmp_path)
    )
    assert re.search("status_code.*allow_continue.*report_only", line)


def test_nginx_in_front_leaves_alone_what_the_app_excludes(run_cli: RunCli, tmp_path: Path) -> None:
    """Real nginx with the export of the app's gate: IE is gated but on its excluded paths."""
    write_app(tmp_path, WRAPPER, 'exclude_paths=["/health"], methods=["GET", "HEAD"]')

    def export(out: Path) -> None:
        result = run_cli("export", "nginx", "--app", "shop:app", "--out", str(out), cwd=tmp_path)
        assert result.code == 0, result.err

    ie = {"User-Agent": IE11}
    with nginx_serving(export=export) as connection:
        assert get(connection, ie)[0] == 406
        assert get(connection, ie, path="/health")[0] == 200
        assert get(connection, ie, path="/healthz")[0] == 200
        assert get(connection, ie, method="POST")[0] == 200
        assert get(connection, {"User-Agent": CHROME})[0] == 200


# serve


def test_serve_refuses_an_app_whose_gate_is_inside_another_middleware(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """A gate found anywhere in the app (here inside GZipMiddleware) makes serve refuse it."""
    write_app(tmp_path, WRAPPED_WRAPPER)
    line = one_error_line(run_cli("serve", "shop:app", "--report-only", cwd=tmp_path))
    assert "has a UAGateMiddleware of its own (shop:app.app)" in line


# what an outside trial found


BRIDGED = """
from asgiref.wsgi import WsgiToAsgi
from flask import Flask
from uagate import Policy, UAGateMiddleware
from uagate.wsgi import UAGateWSGIMiddleware

flask_app = Flask(__name__)
flask_app.wsgi_app = UAGateWSGIMiddleware(flask_app.wsgi_app, policy=Policy.modern())
inner = WsgiToAsgi(flask_app)
app = UAGateMiddleware(inner)
"""

DISPATCHED = """
from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from uagate.wsgi import UAGateWSGIMiddleware

main, api = Flask("main"), Flask("api")
app = DispatcherMiddleware(UAGateWSGIMiddleware(main.wsgi_app), {"/api": api.wsgi_app})
"""


def test_a_gate_behind_asgirefs_wsgi_bridge_is_found(run_cli: RunCli, tmp_path: Path) -> None:
    """WsgiToAsgi keeps its app as .wsgi_application: the gate there is found, alone or not."""
    write_app(tmp_path, BRIDGED)
    result = run_cli("check", "--app", "shop:inner", CHROME_100, cwd=tmp_path)
    assert (result.code, result.out.split()[:2]) == (1, ["gated", "outdated"])
    line = one_error_line(run_cli("check", "--app", "shop:app", IE11, cwd=tmp_path))
    assert "mounts 2 uagate gates with different options" in line


@pytest.mark.parametrize(
    ("template", "says"),
    [
        (DISPATCHED, "shop:app sends /api to other apps, which the gate never sees"),
        (LITESTAR, "Litestar runs app-level middleware per route"),
    ],
    ids=["werkzeug dispatcher", "litestar"],
)
def test_export_refuses_a_gate_that_sees_part_of_the_app(
    run_cli: RunCli, tmp_path: Path, template: str, says: str
) -> None:
    """A gate some requests never meet: check reads its policy, export nginx refuses it."""
    write_app(tmp_path, template)
    assert run_cli("check", "--app", "shop:app", IE11, cwd=tmp_path).code == 1
    result = run_cli("export", "nginx", "--app", "shop:app", "--out", "out", cwd=tmp_path)
    assert says in one_error_line(result)
    assert not (tmp_path / "out").exists()


def test_what_the_app_prints_or_reads_on_import_stays_out_of_uagates_output(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """An app that prints, reads stdin and parses argv on import: uagate's JSON stays JSON."""
    noisy = (
        "import sys\nprint('hello from import')\nsys.stdin.read()\n"
        "assert sys.argv == ['shop:app']\n"
    )
    write_app(tmp_path, noisy + WRAPPER)
    result = run_cli(
        "check", "--json", "--app", "shop:app", stdin=CHROME.encode() + b"\n", cwd=tmp_path
    )
    assert result.code == 0, result.err
    assert json.loads(result.out)["family"] == "Chrome"
    assert "hello from import" in result.err


@pytest.mark.parametrize(
    ("source", "arguments", "says"),
    [
        (WRAPPER, ["--app", "./shop.py:app"], "name the module as Python imports it"),
        (WRAPPER, ["--app", "shop:app", "--app-dir", "nowhere"], "--app-dir nowhere: no such"),
        (
            FACTORY,
            ["--app", "shop:create"],
            "it is a function: if it builds the app, add --factory",
        ),
        (
            "async def create():\n    return None\n",
            ["--app", "shop:create", "--factory"],
            "--factory, but it is async",
        ),
        (
            "def create():\n    return None\n",
            ["--app", "shop:create", "--factory"],
            "returned None",
        ),
    ],
    ids=["file path", "no app dir", "factory without --factory", "async factory", "None"],
)
def test_a_mistyped_app_gets_a_hint(
    run_cli: RunCli, tmp_path: Path, source: str, arguments: list[str], says: str
) -> None:
    """Common slips name what to change, in one line."""
    write_app(tmp_path, source)
    assert says in one_error_line(run_cli("check", *arguments, IE11, cwd=tmp_path))


def test_export_names_the_policy_with_the_other_refusals(run_cli: RunCli, tmp_path: Path) -> None:
    """An exclude callable and a policy predicate: both in the one line."""
    write_app(
        tmp_path, WRAPPER, "exclude=lambda request: False, policy=Policy(predicate=lambda c: False)"
    )
    line = one_error_line(
        run_cli("export", "nginx", "--app", "shop:app", "--out", "out", cwd=tmp_path)
    )
    assert re.search("exclude is a Python callable.*a policy with a predicate", line)


def test_export_refuses_a_prefix_longer_than_nginx_reads(run_cli: RunCli, tmp_path: Path) -> None:
    """A 5,001-character exclusion would stop nginx from loading: refused, naming the prefix."""
    write_app(tmp_path, WRAPPER, 'exclude_paths=["/" + "a" * 5000]')
    line = one_error_line(
        run_cli("export", "nginx", "--app", "shop:app", "--out", "out", cwd=tmp_path)
    )
    assert line.startswith("uagate: error: an exclude_paths prefix of 5,001 characters")


def test_a_report_only_gate_is_named_as_such(run_cli: RunCli, tmp_path: Path) -> None:
    """Check --app on a report-only gate says that the gated clients are let through."""
    write_app(tmp_path, WRAPPER, "report_only=True")
    result = run_cli("check", "--app", "shop:app", IE11, cwd=tmp_path)
    assert result.code == 1
    assert "is report-only: it logs the clients shown as gated and lets them through" in result.err
