"""The ASGI middleware: asks for a verdict, then sends the gate page or calls the app."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from uagate.decision import Decider
from uagate.detect import DEFAULT_MAX_LENGTH, log_once
from uagate.page import DEFAULT_STATUS_CODE, gate_response
from uagate.policy import DEFAULT_POLICY, Policy

__all__ = ["UAGateMiddleware"]


def _require_bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"UAGateMiddleware option {name} must be a bool, not {value!r}")
    return value


def _require_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"UAGateMiddleware option {name} must be an int, not {value!r}")
    if not low <= value <= high:
        raise ValueError(
            f"UAGateMiddleware option {name} must be from {low} to {high}, not {value}"
        )
    return value


class UAGateMiddleware:
    """Answer Internet Explorer with the "We don't support Internet Explorer" page.

    Every other client reaches ``app`` untouched. Options (keyword-only):

    - ``policy``: the :class:`~uagate.Policy` that says who is gated.
    - ``status_code``: the gate page's status, 200 or 400-599 (default 406).
    - ``vary_user_agent``: add ``User-Agent`` to the ``Vary`` header of passed
      responses, for shared caches that must keep IE and other browsers apart
      (default ``False``).
    - ``max_user_agent_length``: how many characters of the User-Agent are read
      (default 512).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        policy: Policy = DEFAULT_POLICY,
        status_code: int = DEFAULT_STATUS_CODE,
        vary_user_agent: bool = False,
        max_user_agent_length: int = DEFAULT_MAX_LENGTH,
    ) -> None:
        if not callable(app):
            raise TypeError(f"UAGateMiddleware app must be an ASGI callable, not {app!r}")
        if not isinstance(policy, Policy):
            raise TypeError(
                f"UAGateMiddleware option policy must be a uagate.Policy, not {policy!r}"
            )
        _require_int("status_code", status_code, 200, 599)
        if not (status_code == 200 or status_code >= 400):
            raise ValueError(
                "UAGateMiddleware option status_code must be 200 or 400-599 (a status "
                f"that carries a page), not {status_code}"
            )
        self.app = app
        self.policy = policy
        self.status_code = status_code
        self.vary_user_agent = _require_bool("vary_user_agent", vary_user_agent)
        self.max_user_agent_length = _require_int(
            "max_user_agent_length", max_user_agent_length, 16, 65536
        )
        self._decide = Decider(policy, max_length=max_user_agent_length)
        # Built now, so that a broken template fails at startup, not on IE's first visit.
        self._gate_get = gate_response("GET", status_code)
        self._gate_head = gate_response("HEAD", status_code)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            gated = self._decide(_user_agent(scope, self.max_user_agent_length)).gated
        except Exception as exc:  # fail open: a bug in detection never breaks the site
            log_once(exc, "deciding for a request", traceback=True)
            gated = False
        if gated:
            response = self._gate_head if scope["method"] == "HEAD" else self._gate_get
            await response(scope, receive, send)
        elif self.vary_user_agent:
            await self.app(scope, receive, _vary_user_agent(send))
        else:
            await self.app(scope, receive, send)


def _user_agent(scope: Scope, max_length: int) -> str | None:
    """The first User-Agent header (as ``request.headers`` gives it to the app), capped.

    Cut as bytes before decoding, so a 1 MB header costs what a short one does;
    latin-1 maps one byte to one character, so this is the same cut as on text.
    """
    for name, value in scope["headers"]:
        if name.lower() == b"user-agent":
            return str(value.lstrip()[:max_length].decode("latin-1"))
    return None


def _vary_user_agent(send: Send) -> Send:
    """Wrap ``send`` so that the response start says ``Vary: User-Agent``."""

    async def send_with_vary(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": _merge_vary(list(message.get("headers", [])))}
        await send(message)

    return send_with_vary


def _merge_vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Add ``User-Agent`` to the first ``Vary`` header, or add one; ``*`` is left alone."""
    first = None
    for index, (name, value) in enumerate(headers):
        if name.lower() == b"vary":
            fields = {field.strip().lower() for field in value.split(b",")}
            if b"*" in fields or b"user-agent" in fields:
                return headers
            first = index if first is None else first
    if first is None:
        headers.append((b"vary", b"User-Agent"))
    else:
        name, value = headers[first]
        kept = value.rstrip(b", \t")
        headers[first] = (name, kept + b", User-Agent" if kept.strip() else b"User-Agent")
    return headers
