"""Apps behind the WSGI and Django adapters, for the tests that serve them.

``flask_app``: a Flask app behind :class:`uagate.wsgi.UAGateWSGIMiddleware`,
served by gunicorn in tests/test_wsgi.py. Django's settings belong to the
process, so the Django site lives in tests/django_site.py, imported only by the
servers the tests start.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Flask, Response, request

from uagate.wsgi import ENVIRON_KEY, UAGateWSGIMiddleware

flask_app = Flask(__name__)


@flask_app.get("/")
def home() -> str:
    """The home page, naming the reason of the verdict the gate passed on."""
    verdict = request.environ[ENVIRON_KEY]
    return f"hello from flask ({verdict.reason})"


@flask_app.get("/health")
def health() -> str:
    """A health check, excluded from the gate."""
    return "ok"


@flask_app.get("/stream")
def stream() -> Response:
    """A streamed response in two chunks."""

    def chunks() -> Iterator[bytes]:
        yield b"first chunk\n"
        yield b"second chunk\n"

    return Response(chunks(), mimetype="text/plain")


flask_app.wsgi_app = UAGateWSGIMiddleware(  # type: ignore[method-assign]
    flask_app.wsgi_app, exclude_paths=["/health"], allow_continue=True
)
