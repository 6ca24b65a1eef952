"""The ``uagate`` command: check User-Agents, scan access logs, serve an app, print the page.

Thin: every command delegates to the library (:func:`uagate.check`,
:mod:`uagate.logscan`, :mod:`uagate.report`, :mod:`uagate.page`, uvicorn).
Exit status 2 means a usage error; ``check`` exits 1 when any client is gated.
Text from requests and logs is shown :func:`~uagate._text.printable`, without
the control characters of escape sequences. The reference is docs/cli.md.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import inspect
import io
import json
import os
import sys
import textwrap
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from types import ModuleType
from typing import Any, NoReturn, TextIO, TypeAlias

from uagate import __version__
from uagate._app import (
    ImportStringError,
    MountedGate,
    MountError,
    import_attribute,
    mounted_gate,
    mounted_gates,
    one_line,
)
from uagate._serve import CONFIG_VARIABLE, PolicyError, gated_app, load_policy
from uagate._templates import check_site_name
from uagate._text import json_line, printable
from uagate.config import GateConfig
from uagate.decision import check
from uagate.detect import DEFAULT_MAX_LENGTH
from uagate.nginx import (
    HTTP_CONF,
    SERVER_CONF,
    NginxExportError,
    UntranslatableError,
    export_config,
    export_nginx,
)
from uagate.notice import notice_html
from uagate.page import (
    DEFAULT_STATUS_CODE,
    LANGUAGE_NAMES,
    LANGUAGES,
    language_for,
    render_page,
    render_problem,
)
from uagate.policy import PRESETS, Policy, Reason, Verdict

__all__ = ["main"]


class _UsageError(Exception):
    """A problem with the command line or its inputs: one line, exit status 2."""


def _argument_text(argument: str) -> str:
    """A command-line argument as text: bytes that are not UTF-8 become U+FFFD.

    Python reads such bytes as lone surrogates, which cannot be checked or
    printed; this reads them as the lines of standard input are read.
    """
    return os.fsencode(argument).decode("utf-8", "replace")


def _version(parts: tuple[int, ...]) -> str:
    return ".".join(map(str, parts))


def _verdict_record(user_agent: str, verdict: Verdict) -> dict[str, object]:
    client = verdict.client
    return {
        "user_agent": user_agent,
        "gated": verdict.gated,
        "reason": verdict.reason.value,
        "family": client.family,
        "version": _version(client.version),
        "engine": client.engine,
        "engine_version": _version(client.engine_version),
        "bot": client.is_bot,
    }


def _import_from(folder: str | None) -> None:
    """Put ``folder`` (the current directory unless given) first on ``sys.path``."""
    folder = os.path.abspath(folder or os.curdir)
    if folder not in sys.path:
        sys.path.insert(0, folder)


def _policy(name: str | None, folder: str | None = None) -> Policy:
    """The policy ``--policy name`` stands for; one line of error and exit status 2 if none.

    ``None``: the default policy. An import string is imported as uvicorn
    imports an app: ``folder`` (the current directory unless given) comes first
    on ``sys.path``.
    """
    name = name or "default"
    if name not in PRESETS:
        _import_from(folder)
    try:
        return load_policy(name)
    except PolicyError as exc:
        raise _UsageError(str(exc)) from exc
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # importing or reading it failed: one line, not a trace
        raise _UsageError(f"--policy {name}: cannot load it: {one_line(exc)}") from exc


def _app_config(args: argparse.Namespace) -> GateConfig:
    """The options of the gate that ``--app`` mounts (see :func:`_app_gate`)."""
    return _app_gate(args).config


def _app_gate(args: argparse.Namespace) -> MountedGate:
    """The gate that ``--app`` mounts; one line of error and exit status 2 if none.

    The app is imported as ``uagate serve`` imports it (``--app-dir`` first on
    ``sys.path``; ``--factory`` calls it), without uvicorn. While it loads, what
    it prints goes to standard error, it reads no standard input and sees only
    its own name in ``sys.argv``, so that uagate's output and input stay uagate's.
    """
    app = args.app
    if args.app_dir is not None and not os.path.isdir(args.app_dir):
        raise _UsageError(f"--app-dir {args.app_dir}: no such directory")
    _import_from(args.app_dir)
    try:
        with _quiet_import(app):
            target = import_attribute(app, "--app", "MODULE:APP")
            if args.factory:
                if not callable(target):
                    raise _UsageError(f"--app {app}: --factory, but it is not callable")
                target = target()
                if inspect.iscoroutine(target):
                    target.close()
                    raise _UsageError(
                        f"--app {app}: --factory, but it is async; give a plain function"
                    )
        if args.factory and target is None:
            raise _UsageError(f"--app {app}: --factory, but it returned None")
        return mounted_gate(target, app)
    except ImportStringError as exc:
        raise _UsageError(str(exc)) from exc
    except MountError as exc:  # its message starts with the app's name
        raise _UsageError(f"--app {exc}") from exc
    except (_UsageError, KeyboardInterrupt):
        raise
    except BaseException as exc:  # importing or calling it failed: one line, not a trace
        raise _UsageError(f"--app {app}: cannot load it: {one_line(exc)}") from exc


def _say_report_only(app: str, config: GateConfig) -> None:
    """Tell the operator that the verdicts shown are what the app's gate logs, not does."""
    if config.report_only:
        print(
            f"uagate: the gate of {app} is report-only: it logs the clients shown as gated "
            "and lets them through",
            file=sys.stderr,
        )


@contextlib.contextmanager
def _quiet_import(name: str) -> Iterator[None]:
    """While an app loads: its prints to standard error, no standard input, argv its name."""
    stdin, argv = sys.stdin, sys.argv
    sys.stdin, sys.argv = io.StringIO(""), [name]
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stdin, sys.argv = stdin, argv


def _user_agents(arguments: list[str]) -> Iterable[str]:
    """The User-Agents to check: the arguments, or else the non-blank lines of standard input."""
    if arguments:
        return map(_argument_text, arguments)
    if sys.stdin.isatty():
        print(
            "uagate check: reading User-Agents from standard input, one a line; "
            "end with Ctrl+D (or give them as arguments)",
            file=sys.stderr,
        )
    lines = (line.decode("utf-8", "replace") for line in sys.stdin.buffer)
    return (line.rstrip("\r\n") for line in lines if line.strip())


def _verdict_line(record: dict[str, object], verdict: Verdict) -> str:
    """One row of ``uagate check``'s table, without control characters."""
    engine = record["engine"] or "-"
    if record["engine_version"]:
        engine = f"{engine}/{record['engine_version']}"
    return (
        f"{'gated' if verdict.gated else 'passed':6}  {record['reason']:22}  "
        f"{printable(verdict.client.family)} {record['version'] or '-'}  engine={engine}  "
        f"bot={'yes' if record['bot'] else 'no'}  {printable(str(record['user_agent']))}"
    )


def _check(args: argparse.Namespace) -> int:
    if args.app is None:
        policy, max_length = _policy(args.policy), DEFAULT_MAX_LENGTH
    else:
        config = _app_config(args)
        policy, max_length = config.policy, config.max_user_agent_length
        _say_report_only(args.app, config)
    any_gated = False
    for user_agent in _user_agents(args.user_agents):
        verdict = check(user_agent, policy=policy, max_length=max_length)
        any_gated = any_gated or verdict.gated
        record = _verdict_record(user_agent, verdict)
        if args.json:
            print(json_line(record))
        else:
            print(_verdict_line(record, verdict))
    return 1 if any_gated else 0


class Progress:
    """A one-line progress display on a terminal; silent when ``stream`` is not one."""

    def __init__(self, stream: TextIO, total: int | None, *, enabled: bool) -> None:
        self._stream = stream
        self._total = total
        self._enabled = enabled
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int, lines: int) -> None:
        """Show ``done`` bytes (of the total, where known) and ``lines`` read so far."""
        now = time.monotonic()
        if not self._enabled or now - self._last < 0.1:
            return
        self._last = now
        megabytes = f"{done / 1e6:,.0f} MB"
        if self._total:
            share = min(done / self._total, 1.0)
            bar = "#" * int(share * 30)
            text = f"[{bar:<30}] {share:4.0%} {megabytes} of {self._total / 1e6:,.0f} MB"
        else:
            text = megabytes
        self._stream.write(f"\rscanning {text}, {lines:,} lines ")
        self._stream.flush()
        self._shown = True

    def finish(self) -> None:
        """Clear the line."""
        if self._shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._shown = False


def _scan(args: argparse.Namespace) -> int:
    from uagate.logscan import LogInput, LogScanner
    from uagate.report import render_csv, render_html, render_json, render_table

    if args.app is None:
        scanner = LogScanner(_policy(args.policy), args.policy or "default")
    else:
        config = _app_config(args)
        if config.max_user_agent_length != DEFAULT_MAX_LENGTH:
            raise _UsageError(
                f"--app {args.app}: its gate reads {config.max_user_agent_length} characters "
                f"of a User-Agent (max_user_agent_length), scan reads {DEFAULT_MAX_LENGTH}: "
                "their verdicts could differ"
            )
        scanner = LogScanner(config.policy, f"the gate of {args.app}")
        _say_report_only(args.app, config)
    on_terminal = sys.stderr.isatty() and not args.no_progress
    if not args.files and sys.stdin.isatty():
        print(
            "uagate scan: reading a log from standard input; end with Ctrl+D "
            "(or name the files to read)",
            file=sys.stderr,
        )
    for path in args.files or ["-"]:
        try:
            log = LogInput(path)
        except OSError as exc:
            raise _UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
        progress = Progress(sys.stderr, log.size, enabled=on_terminal)
        try:
            scanner.scan(log, progress=progress)
        except (OSError, EOFError, zlib.error) as exc:  # a corrupt or truncated .gz, a read error
            raise _UsageError(f"cannot read {path}: {exc}") from exc
        finally:
            progress.finish()
            log.close()
    report = scanner.report
    if args.html:
        try:
            with open(args.html, "w", encoding="utf-8") as page:
                page.write(render_html(report))
        except OSError as exc:
            raise _UsageError(f"cannot write {args.html}: {exc.strerror or exc}") from exc
    render = {"table": render_table, "json": render_json, "csv": render_csv}[args.format]
    sys.stdout.write(render(report))
    return 0


def _gate_options(args: argparse.Namespace) -> dict[str, object]:
    options: dict[str, object] = {
        "report_only": args.report_only,
        "allow_continue": args.allow_continue,
        "vary_user_agent": args.vary_user_agent,
        "gate_websockets": args.gate_websockets,
        "default_language": args.default_language,
        "status_code": args.status_code,
    }
    if args.exclude_path:
        options["exclude_paths"] = args.exclude_path
    return options


def _log_config(level: str) -> dict[str, Any]:
    """The logging configuration for uvicorn, with the ``uagate`` logger's records in it.

    uvicorn configures only its own loggers, so the gate's records (one INFO
    record per gated or, with --report-only, would-be gated request) would
    reach no handler. This gives the ``uagate`` logger uvicorn's handler and
    format, at ``--log-level``; it applies in every worker, as uvicorn's does.
    """
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["uagate"] = {
        "handlers": ["default"],
        "level": level.upper(),
        "propagate": False,
    }
    return config


def _serve(args: argparse.Namespace) -> int:
    uvicorn = _uvicorn()
    app_dir = os.path.abspath(args.app_dir)
    sys.path.insert(0, app_dir)
    _policy(args.policy, app_dir)  # a bad --policy is its own one-line error
    os.environ[CONFIG_VARIABLE] = json.dumps(
        {
            "app": args.app,
            "factory": args.factory,
            "policy": args.policy,
            "options": _gate_options(args),
        }
    )
    try:
        served = gated_app()  # import the app and check the options here, before any worker
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # any failure to import or wrap the app is one line, not a
        # trace: also a factory or module that calls sys.exit() or raises a BaseException
        raise _UsageError(f"cannot serve {args.app}: {one_line(exc)}") from exc
    try:
        own = mounted_gates(getattr(served, "app", None), args.app)
    except MountError as exc:  # a gate that cannot be built is a gate of its own all the same
        raise _UsageError(f"cannot serve {args.app}: {exc}") from exc
    if own:
        # A second gate in front would log "would gate" while the app's own one gates.
        raise _UsageError(
            f"cannot serve {args.app}: it has a {own[0].kind} of its own ({own[0].where}), "
            "which --report-only, --policy and the other options would not change; serve it "
            "with uvicorn, or remove its gate and let uagate serve put one in front"
        )
    uvicorn.run(
        "uagate._serve:gated_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        reload=args.reload,
        app_dir=app_dir,
        log_level=args.log_level,
        log_config=_log_config(args.log_level),
    )
    return 0


def _demo(args: argparse.Namespace) -> int:
    uvicorn = _uvicorn()
    from uagate.demo import CLIENT_HINTS_NOTE  # builds the demo app: for this command only

    print(f"uagate demo on http://{args.host}:{args.port}  (Ctrl+C to stop)", file=sys.stderr)
    print(textwrap.fill(CLIENT_HINTS_NOTE, 88), file=sys.stderr)
    uvicorn.run(
        "uagate.demo:app",
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        log_config=_log_config(args.log_level),
    )
    return 0


def _page(args: argparse.Namespace) -> int:
    if args.list:
        for tag in LANGUAGES:
            about = LANGUAGE_NAMES[tag]
            print(f"{tag:<8} {about['dir']}  {about['name']} ({about['native_name']})")
        return 0
    reason = Reason(args.reason)
    if args.format == "json":
        status = DEFAULT_STATUS_CODE if args.status is None else args.status
        if args.site_name is not None:
            raise _UsageError("--site-name goes into the HTML page; the problem+json body has none")
        sys.stdout.write(render_problem(args.lang, reason, status=status) + "\n")
        return 0
    if args.status is not None:
        raise _UsageError(
            "--status goes into the problem+json body (--format json); "
            "the HTML page holds no status: set it where the page is served"
        )
    sys.stdout.write(render_page(args.lang, reason, args.site_name))
    return 0


def _export_nginx(args: argparse.Namespace) -> int:
    out = _argument_text(args.out)
    vary_user_agent = args.vary_user_agent
    try:
        if args.app is None:
            written = export_nginx(
                out,
                _policy(args.policy),
                default_language=args.default_language or "en",
                exclude_paths=[_argument_text(path) for path in args.exclude_path],
                methods=args.method or None,
                vary_user_agent=vary_user_agent,
            )
        else:
            # Where --out points is read before the app loads: importing it may chdir.
            here = os.getcwd()
            gate = _app_gate(args)
            vary_user_agent = gate.config.vary_user_agent
            if gate.partly:
                raise _UsageError(
                    f"--app {args.app}: nginx cannot do as this gate does: {gate.partly}, "
                    "and nginx would gate them"
                )
            try:
                written = export_config(os.path.join(here, out), gate.config)
            except UntranslatableError as exc:
                raise _UsageError(f"--app {args.app}: {exc}") from exc
    except NginxExportError as exc:
        raise _UsageError(str(exc)) from exc
    except OSError as exc:
        raise _UsageError(f"cannot export to {out}: {exc}") from exc
    for path in written:
        print(printable(str(path)))
    folder = written[-1].parent
    http, server = (f'"{printable(str(folder / name))}"' for name in (HTTP_CONF, SERVER_CONF))
    print(
        f"Add `include {http};` inside http {{}}, and `include {server};` inside each "
        "server {} to gate (docs/edge.md).",
        file=sys.stderr,
    )
    if vary_user_agent:
        print(
            "With Vary (--vary-user-agent), uagate_server.conf has an add_header at the server "
            "level: that server no longer inherits the add_header lines of http {} (docs/edge.md).",
            file=sys.stderr,
        )
    return 0


def _notice(args: argparse.Namespace) -> int:
    nonce = None if args.nonce is None else _argument_text(args.nonce)
    sys.stdout.write(notice_html(args.lang, nonce=nonce) + "\n")
    return 0


def _uvicorn() -> ModuleType:
    """uvicorn, imported only to serve: the library itself does not need it."""
    try:
        import uvicorn
    except ImportError as exc:
        raise _UsageError("serving needs uvicorn: pip install 'uagate[server]'") from exc
    return uvicorn


_LANG_HELP = "a language tag, such as de, zh-TW or pt-BR (uagate page --list; default: en)"
_DEFAULT_LANGUAGE_HELP = (
    "the page's language when Accept-Language names none of its languages "
    "(uagate page --list; default: en)"
)


def _site_name(value: str) -> str:
    """A --site-name the page can show, checked as the site_name option is."""
    try:
        return check_site_name(_argument_text(value), "--site-name") or ""
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _language(value: str) -> str:
    """The page's language for a tag given on the command line (zh-TW is zh-Hant)."""
    found = language_for(_argument_text(value))
    if found is None:
        raise argparse.ArgumentTypeError(
            f"the page is not written in {_argument_text(value)!r} "
            "(uagate page --list shows its languages)"
        )
    return found


def _port(value: str) -> int:
    port = int(value)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be from 0 to 65535, not {port}")
    return port


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


# uvicorn's log levels.
_LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")

# The reasons a client is gated for: each has its own page.
_PAGE_REASONS = tuple(
    reason.value
    for reason in (
        Reason.INTERNET_EXPLORER,
        Reason.TRIDENT_APP,
        Reason.OUTDATED,
        Reason.COMPATIBILITY_VIEW,
        Reason.PREDICATE,
    )
)


def _with_policy(
    command: argparse.ArgumentParser,
    where: str = "the current directory",
    default: str | None = "default",
) -> None:
    command.add_argument(
        "--policy",
        default=default,
        metavar="POLICY",
        help="default: gate IE and Trident apps; modern: Policy.modern(); or "
        f"MODULE:ATTRIBUTE, a uagate.Policy imported from {where} as uvicorn imports "
        "an app (default: default)",
    )


# Options that serve and export nginx share, as the middleware's of the same names.
def _with_vary_user_agent(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--vary-user-agent",
        action="store_true",
        help="name the headers the verdict depends on in Vary on passed responses",
    )


def _with_exclude_path(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--exclude-path",
        action="append",
        metavar="PREFIX",
        default=[],
        help="a path prefix the gate leaves alone (repeat for more)",
    )


def _with_default_language(command: argparse.ArgumentParser, default: str | None = "en") -> None:
    command.add_argument(
        "--default-language",
        type=_language,
        default=default,
        metavar="TAG",
        help=_DEFAULT_LANGUAGE_HELP,
    )


def _with_server(command: argparse.ArgumentParser) -> None:
    command.add_argument("--host", default="127.0.0.1", help="(default: 127.0.0.1)")
    command.add_argument("--port", type=_port, default=8000, help="(default: 8000)")
    command.add_argument(
        "--log-level",
        choices=_LOG_LEVELS,
        default="info",
        help="for uvicorn's loggers and the uagate logger, which writes an INFO record "
        "per gated request: warning and above leave those out (default: info)",
    )


def _with_app(command: argparse.ArgumentParser, *excludes: str) -> None:
    """--app, --app-dir and --factory; ``excludes``: the options --app stands in for."""
    app = command.add_argument_group(
        "the gate an app mounts",
        "read the options of the gate MODULE:APP mounts instead of "
        + ", ".join("--" + name.replace("_", "-") for name in excludes)
        + " (docs/cli.md)",
    )
    app.add_argument(
        "--app",
        metavar="MODULE:APP",
        help="an app imported as uvicorn imports it, with a uagate gate of its own",
    )
    app.add_argument("--app-dir", metavar="DIR", help="where to import --app from (default: .)")
    app.add_argument("--factory", action="store_true", help="APP is a factory to call")
    command.set_defaults(app_parser=command, app_excludes=excludes)


def _check_app_options(args: argparse.Namespace) -> None:
    """--app goes alone, --app-dir and --factory only with it: argparse's error, status 2."""
    parser: argparse.ArgumentParser | None = getattr(args, "app_parser", None)
    if parser is None:
        return
    if args.app is None:
        for name in ("app_dir", "factory"):
            if getattr(args, name):
                parser.error(f"argument --{name.replace('_', '-')}: only with --app")
        return
    for name in args.app_excludes:
        if getattr(args, name) not in (None, False, []):
            parser.error(f"argument --app: not allowed with argument --{name.replace('_', '-')}")


# What add_subparsers returns: each _x_parser below adds one command to it.
_Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _check_parser(commands: _Commands) -> None:
    check_ = commands.add_parser(
        "check",
        help="the verdict for User-Agents",
        description="Print the verdict for each User-Agent given, or for each line of "
        "standard input (bytes that are not UTF-8 are read as U+FFFD). Control and format "
        "characters are left out of the table and escaped in JSON. "
        "Exit status 0 when all pass, 1 when any is gated.",
    )
    check_.add_argument("user_agents", nargs="*", metavar="USER_AGENT")
    _with_policy(check_, default=None)
    _with_app(check_, "policy")
    check_.add_argument("--json", action="store_true", help="one JSON object a line")
    check_.set_defaults(run=_check)


def _scan_parser(commands: _Commands) -> None:
    scan = commands.add_parser(
        "scan",
        help="what the gate would do to the traffic in access logs",
        description="Read access logs (combined log format, JSON lines with a user_agent "
        "field, or one User-Agent a line; or rows a database added up: CSV or TSV with a "
        "user_agent,requests[,visitors][,day] header, or JSON lines with those fields; "
        ".gz read transparently; - or nothing for standard input) and report what the "
        "policy would do to that traffic: requests and visitors (distinct client address "
        "and User-Agent pairs; the address is a combined line's first field or a JSON "
        "record's remote_addr, client_ip, ip, ... field), bots apart. Visitors are "
        "counted exactly up to 100,000 of a kind, then estimated by HyperLogLog with a "
        "relative standard error of 0.81%, as the report says. "
        "Days must be real calendar dates in ASCII digits: a combined line with any "
        "other date is unreadable, and a JSON record's is ignored (the record still "
        "counts). The per-day table keeps the 3,660 latest days; requests on earlier days "
        "are added up as 'earlier days'. Control characters are left out of the report "
        "(nginx's \\xHH escapes of them are kept as written, not undone), and CSV cells "
        "that a spreadsheet would take for a formula start with a quote. With --app, the "
        "policy is that of the gate the app mounts; every request counts by its "
        "User-Agent, whatever its path or method (logs are read for no path or method).",
    )
    scan.add_argument("files", nargs="*", metavar="FILE")
    _with_policy(scan, default=None)
    _with_app(scan, "policy")
    scan.add_argument("--format", choices=("table", "json", "csv"), default="table")
    scan.add_argument("--html", metavar="PATH", help="also write a self-contained HTML report")
    scan.add_argument(
        "--no-progress", action="store_true", help="no progress bar, even on a terminal"
    )
    scan.set_defaults(run=_scan)


def _serve_parser(commands: _Commands) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve an ASGI app behind the gate with uvicorn",
        description="Import MODULE:APP as uvicorn does and serve it behind the gate.",
    )
    serve.add_argument("app", metavar="MODULE:APP")
    serve.add_argument("--factory", action="store_true", help="APP is a factory to call")
    serve.add_argument("--app-dir", default=".", help="where to import from (default: .)")
    _with_server(serve)
    serve.add_argument("--workers", type=_positive, default=1, help="worker processes (default: 1)")
    serve.add_argument("--reload", action="store_true", help="restart when the code changes")
    _with_policy(serve, "--app-dir")
    serve.add_argument(
        "--report-only", action="store_true", help="log what would be gated, never gate"
    )
    serve.add_argument(
        "--allow-continue", action="store_true", help="offer a 'Continue anyway' link"
    )
    _with_vary_user_agent(serve)
    serve.add_argument(
        "--gate-websockets", action="store_true", help="deny websocket handshakes of gated clients"
    )
    _with_exclude_path(serve)
    _with_default_language(serve)
    serve.add_argument(
        "--status-code",
        type=int,
        default=DEFAULT_STATUS_CODE,
        help=f"the gate page's status (default: {DEFAULT_STATUS_CODE})",
    )
    serve.set_defaults(run=_serve)


def _demo_parser(commands: _Commands) -> None:
    demo = commands.add_parser(
        "demo",
        help="serve the demo app (as ./scripts/demo does)",
        description="Serve the demo site behind the gate; the gated requests are logged.",
    )
    _with_server(demo)
    demo.set_defaults(run=_demo)


def _notice_parser(commands: _Commands) -> None:
    notice = commands.add_parser(
        "notice",
        help="print the embedded notice, for the base template of cached pages",
        description="Print the HTML fragment that only Internet Explorer shows, to put first "
        "in <body> of pages the gate does not see (docs/notice.md).",
    )
    notice.add_argument("--lang", type=_language, default="en", metavar="TAG", help=_LANG_HELP)
    notice.add_argument(
        "--nonce", metavar="VALUE", help="put nonce=VALUE on its inline styles (none needs it)"
    )
    notice.set_defaults(run=_notice)


def _page_parser(commands: _Commands) -> None:
    page = commands.add_parser(
        "page",
        help="print the gate page, to serve as a static file",
        description="Print the default gate page (HTML) or its problem+json body, as the "
        "gate sends it to a client gated for --reason.",
    )
    page.add_argument("--lang", type=_language, default="en", metavar="TAG", help=_LANG_HELP)
    page.add_argument(
        "--list", action="store_true", help="list the languages the page is written in, and stop"
    )
    page.add_argument("--format", choices=("html", "json"), default="html")
    page.add_argument(
        "--reason",
        choices=_PAGE_REASONS,
        default=Reason.INTERNET_EXPLORER.value,
        help="the variant: internet-explorer (and trident-app), outdated (a browser below its "
        "minimum version), compatibility-view, predicate (default: internet-explorer)",
    )
    page.add_argument(
        "--status",
        type=int,
        help=f"the status in the problem+json body (default: {DEFAULT_STATUS_CODE}); "
        "only with --format json",
    )
    page.add_argument(
        "--site-name",
        type=_site_name,
        metavar="NAME",
        help="the site's name, shown above the heading and in the title (as site_name=)",
    )
    page.set_defaults(run=_page)


def _export_parser(commands: _Commands) -> None:
    export = commands.add_parser(
        "export",
        help="write the gate as configuration for a server in front of the app",
        description="Write the policy and the gate pages as configuration for a server that "
        "stands in front of the app (docs/edge.md).",
    )
    targets = export.add_subparsers(dest="target", metavar="TARGET", required=True)
    _export_nginx_parser(targets)


def _export_nginx_parser(targets: _Commands) -> None:
    nginx = targets.add_parser(
        "nginx",
        help="maps for http {}, a gate for server {}, and the pages",
        description="Write DIR/uagate_http.conf (include it inside http {}), "
        "DIR/uagate_server.conf (include it inside each server {} to gate) and the pages "
        "they name, DIR/pages/*.html. A gated request gets status 406 and the page in the "
        "first language its Accept-Language names. Policies with a predicate, or that gate "
        "IE apart from its applications, are refused: keep the middleware for those. "
        "--app exports the gate an app mounts, and refuses what nginx cannot do as it "
        "does (docs/cli.md).",
    )
    nginx.add_argument("--out", required=True, metavar="DIR", help="where to write (created)")
    _with_policy(nginx, default=None)
    _with_default_language(nginx, default=None)
    _with_exclude_path(nginx)
    nginx.add_argument(
        "--method",
        action="append",
        metavar="METHOD",
        default=[],
        help="gate only requests with this method (repeat for more; default: every method)",
    )
    _with_vary_user_agent(nginx)
    _with_app(nginx, "policy", "default_language", "exclude_path", "method", "vary_user_agent")
    nginx.set_defaults(run=_export_nginx)


# The commands, in the order ``uagate --help`` lists them.
_COMMANDS = (
    _check_parser,
    _scan_parser,
    _serve_parser,
    _demo_parser,
    _notice_parser,
    _page_parser,
    _export_parser,
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="uagate",
        description="See what the Internet Explorer gate does to a browser or to your traffic, "
        "and serve any ASGI app behind it.",
    )
    parser.add_argument("--version", action="version", version=f"uagate {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add_command in _COMMANDS:
        add_command(commands)
    return parser


def _fail(message: str) -> NoReturn:
    print(f"uagate: error: {printable(message)}", file=sys.stderr)
    raise SystemExit(2)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    # Pages, JSON and reports are UTF-8 whatever the locale says.
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8")
    args = _parser().parse_args(argv)
    _check_app_options(args)
    try:
        return int(args.run(args))
    except _UsageError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``uagate scan ... | head``): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover - python -m uagate.cli
    sys.exit(main())
