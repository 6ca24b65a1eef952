"""An app named by an import string, and the gate it already mounts (``--app``).

``uagate check``, ``scan`` and ``export nginx`` take ``--app MODULE:APP`` and
read the options of the gate that app mounts, so that what they say or write
is what the app's own gate does; ``uagate serve`` refuses an app that has one.
:func:`mounted_gates` finds every gate in an imported app:

- the object itself, when it is one of the adapters (:class:`uagate.UAGateMiddleware`,
  :class:`uagate.wsgi.UAGateWSGIMiddleware`, :class:`uagate.django.UAGateMiddleware`);
- a Starlette or FastAPI app's ``user_middleware`` entries for UAGateMiddleware,
  and a Litestar app's ``middleware`` ones, built here as the app would build them;
- a Django handler (``get_wsgi_application()``, ``get_asgi_application()``) when
  ``settings.MIDDLEWARE`` names ``uagate.django.UAGateMiddleware``: its ``UAGATE`` setting;
- and the same again in what wrappers wrap, through their ``app``, ``wsgi_app``,
  ``asgi_app``, ``application``, ``wsgi_application`` and ``asgi_application``
  attributes (Flask's ``app.wsgi_app = ...``, Quart's ``app.asgi_app = ...``, any
  ASGI middleware's ``self.app``, WhiteNoise's and Django's static files
  handlers' ``application``, asgiref's ``WsgiToAsgi``).

A gate may cover part of the app only: one that Litestar runs per route (the
requests with no route never meet it), or one on the main app of a dispatcher
that sends some prefixes elsewhere (werkzeug's ``DispatcherMiddleware`` and
its ``mounts``). :attr:`MountedGate.partly` says so; ``uagate export nginx``
refuses such a gate, since nginx would gate the requests it never sees.

Attributes are read without running the app's code (no property, no
``__getattr__``); the walk is bounded in depth and in objects, and visits each
object once. Apps mounted below a path (Starlette's ``Mount``) are not read:
their gate covers that path only.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types
from collections.abc import Iterator
from typing import Any, NamedTuple

from uagate.config import GateConfig
from uagate.middleware import UAGateMiddleware
from uagate.wsgi import UAGateWSGIMiddleware

__all__ = [
    "ImportStringError",
    "MountError",
    "MountedGate",
    "import_attribute",
    "mounted_config",
    "mounted_gate",
    "mounted_gates",
    "one_line",
]

#: The attributes through which a wrapper reaches the app it wraps.
WRAPPED = (
    "app",
    "wsgi_app",
    "asgi_app",
    "application",
    "wsgi_application",
    "asgi_application",
)
#: The lists of an app's middleware entries: Starlette's and FastAPI's, Litestar's.
MIDDLEWARE_LISTS = ("user_middleware", "middleware")
# Where an entry of each list keeps the class it builds.
_ENTRY_CLASS = {"user_middleware": "cls", "middleware": "middleware"}
#: How deep the walk goes, and how many objects it looks at, at most.
MAX_DEPTH = 32
MAX_OBJECTS = 1_000

_DJANGO_SETTING = "uagate.django.UAGateMiddleware"


class ImportStringError(ValueError):
    """An import string that is no ``module:attribute``, or names nothing; a one-line message."""


class MountError(ValueError):
    """No gate, two different gates, or a gate that cannot be built; a one-line message."""


class MountedGate(NamedTuple):
    """One gate found in an app: the adapter, where it was found, and its options.

    ``partly``: why the gate sees only some of the app's requests; empty when it sees all.
    """

    kind: str
    where: str
    config: GateConfig
    partly: str = ""


def one_line(exc: BaseException) -> str:
    """An exception as one line: its type and the first line of its message."""
    text = str(exc).strip().splitlines()
    detail = text[0] if text else ""
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def import_attribute(import_string: str, option: str, form: str) -> object:
    """Import ``module:attribute`` as uvicorn imports an app, without uvicorn.

    ``module`` is imported with :func:`importlib.import_module` (from
    ``sys.path``), then ``attribute`` is looked up on it, dots walking into
    attributes of attributes. An import string that is not of that ``form``, a
    module that is missing or an attribute it lacks raises
    :class:`ImportStringError`, whose message starts with ``option`` and the
    import string; an exception raised while importing the module propagates.
    """
    module_name, colon, attribute = import_string.partition(":")
    if not colon or not module_name or not attribute:
        raise ImportStringError(f"{option} {import_string}: not {form}")
    if module_name.endswith(".py") or "/" in module_name or "\\" in module_name:
        raise ImportStringError(
            f"{option} {import_string}: name the module as Python imports it (shop:app, "
            "mysite.asgi:application), not a file; --app-dir says where to look"
        )
    try:
        target: object = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is None or not _is_the_module_or_a_parent(exc.name, module_name):
            raise  # the module exists, but something it imports does not
        raise ImportStringError(
            f"{option} {import_string}: no module named {module_name!r}"
        ) from exc
    for part in attribute.split("."):
        try:
            target = getattr(target, part)
        except AttributeError as exc:
            raise ImportStringError(
                f"{option} {import_string}: {module_name} has no attribute {attribute!r}"
            ) from exc
    return target


def _is_the_module_or_a_parent(missing: str, module_name: str) -> bool:
    """True when ``missing`` is ``module_name`` or one of its parent packages."""
    return module_name == missing or module_name.startswith(missing + ".")


def mounted_config(target: object, name: str) -> GateConfig:
    """The options of the one gate ``target`` mounts; :class:`MountError` if none or two differ."""
    return mounted_gate(target, name).config


def mounted_gate(target: object, name: str) -> MountedGate:
    """The one gate ``target`` mounts; :class:`MountError` if none, or two that differ.

    ``name`` names the app in the messages (the import string). The same
    options mounted twice are one gate's options.
    """
    gates = mounted_gates(target, name)
    if not gates:
        hint = ""
        if inspect.isroutine(target):
            hint = " (it is a function: if it builds the app, add --factory)"
        raise MountError(
            f"{name} mounts no uagate gate: none around it, in its middleware "
            f"or in Django's MIDDLEWARE, {MAX_DEPTH} wrappers deep at most{hint}"
        )
    configs: list[GateConfig] = []
    for gate in gates:
        if gate.config not in configs:
            configs.append(gate.config)
    if len(configs) > 1:
        places = ", ".join(f"{gate.kind} at {gate.where}" for gate in gates)
        raise MountError(
            f"{name} mounts {len(gates)} uagate gates with different options ({places}); "
            "--app does not guess which one decides: keep one gate, or give the options "
            "on the command line"
        )
    partly = [gate for gate in gates if gate.partly]
    return partly[0] if partly else gates[0]


def mounted_gates(target: object, name: str) -> list[MountedGate]:
    """Every gate ``target`` mounts, the outermost first (see the module's docstring).

    ``name`` is where the walk starts in :attr:`MountedGate.where`. A
    middleware entry or a Django setting that cannot be built raises
    :class:`MountError`, as the app would fail to start with it.
    """
    found: list[MountedGate] = []
    seen: set[int] = set()
    stack: list[tuple[object, str, int, str]] = [(target, name, 0, "")]
    while stack and len(seen) < MAX_OBJECTS:
        node, where, depth, partly = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for gate in _gates_at(node, where):
            found.append(gate._replace(partly=gate.partly or partly))
        if depth == MAX_DEPTH:
            continue
        partly = partly or _dispatches(node, where)
        for attribute in reversed(WRAPPED):  # popped in WRAPPED's order
            inner = _attribute(node, attribute)
            if _may_wrap(inner):
                stack.append((inner, f"{where}.{attribute}", depth + 1, partly))
    return found


def _dispatches(node: object, where: str) -> str:
    """Why what ``node`` wraps sees only some requests: prefixes it sends elsewhere; or ''."""
    mounts = _attribute(node, "mounts")  # werkzeug's DispatcherMiddleware
    if not isinstance(mounts, dict) or not mounts:
        return ""
    prefixes = ", ".join(sorted(str(prefix) for prefix in mounts))
    return f"{where} sends {prefixes} to other apps, which the gate never sees"


def _may_wrap(value: object) -> bool:
    """True for an object that may be, or wrap, an app: not a function, class or descriptor."""
    return not (
        value is None
        or inspect.isroutine(value)
        or isinstance(value, (type, property, classmethod, staticmethod))
    )


def _attribute(node: object, name: str) -> Any:
    """``node.name`` without running code of the app's (a property, ``__getattr__``); or None."""
    try:
        value = inspect.getattr_static(node, name)
    except AttributeError:
        return None
    if isinstance(value, types.MemberDescriptorType):  # a __slots__ field: plain data
        return getattr(node, name, None)
    return value


def _loaded(module: str, name: str) -> type | None:
    """The class ``module.name`` if that module is imported already (nothing is imported here)."""
    found = getattr(sys.modules.get(module), name, None)
    return found if isinstance(found, type) else None


def _gates_at(node: object, where: str) -> Iterator[MountedGate]:
    """The gates ``node`` itself is or lists (not those of what it wraps)."""
    django_adapter = _loaded("uagate.django", "UAGateMiddleware")
    for kind, adapter in (
        ("UAGateMiddleware", UAGateMiddleware),
        ("UAGateWSGIMiddleware", UAGateWSGIMiddleware),
        (_DJANGO_SETTING, django_adapter),
    ):
        if adapter is not None and isinstance(node, adapter):
            yield MountedGate(kind, where, node.config)  # type: ignore[attr-defined]
    for listed in MIDDLEWARE_LISTS:
        entries = _attribute(node, listed)
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            # Middleware(cls, ...) (Starlette), DefineMiddleware(cls, ...) or cls (Litestar)
            cls = entry if isinstance(entry, type) else _attribute(entry, _ENTRY_CLASS[listed])
            if isinstance(cls, type) and issubclass(cls, UAGateMiddleware):
                at = f"{where}.{listed}[{index}]"
                partly = (
                    "Litestar runs app-level middleware per route, so requests with no route "
                    "never meet the gate (wrap the app instead: see the README)"
                    if listed == "middleware"
                    else ""
                )
                yield MountedGate(cls.__name__, at, _built(cls, entry, at), partly)
    handler = _loaded("django.core.handlers.base", "BaseHandler")
    if handler is not None and isinstance(node, handler):
        config = _django_config(where)
        if config is not None:
            yield MountedGate(_DJANGO_SETTING, f"{where} (settings.MIDDLEWARE)", config)


async def _unused_app(scope: Any, receive: Any, send: Any) -> None:  # pragma: no cover
    """The app a middleware entry is built around here: never called."""
    raise AssertionError("uagate --app built a middleware entry only to read its options")


def _built(cls: type[UAGateMiddleware], entry: object, where: str) -> GateConfig:
    """The options of a ``Middleware(UAGateMiddleware, ...)`` entry, built as the app would."""
    args = () if entry is cls else _attribute(entry, "args") or ()
    kwargs = {} if entry is cls else _attribute(entry, "kwargs") or {}
    try:
        return cls(_unused_app, *args, **kwargs).config
    except Exception as exc:  # the app would fail to start the same way
        raise MountError(f"{where}: {cls.__name__} cannot be built: {one_line(exc)}") from exc


def _django_config(where: str) -> GateConfig | None:
    """The ``UAGATE`` setting when ``MIDDLEWARE`` names the Django adapter; else None."""
    settings = sys.modules["django.conf"].settings
    try:
        middleware = list(getattr(settings, "MIDDLEWARE", None) or ())
        if _DJANGO_SETTING not in middleware:
            return None
        from uagate.django import configured

        config: GateConfig = configured()
    except Exception as exc:  # unconfigured settings, a bad UAGATE: Django would fail too
        raise MountError(f"{where}: Django's gate cannot be read: {one_line(exc)}") from exc
    return config
