"""Django (ASGI) behind uagate, in one file: ``uvicorn --app-dir examples django_app:app``.

The gate wraps Django's ASGI application object, in front of everything Django does;
static files under /static/ (served here by Django's ``ASGIStaticFilesHandler``, as
``runserver`` does) and the /health check are excluded, so they reach every client. In a
project, wrap the application the same way in ``asgi.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

# Django ships without type information (no py.typed), so mypy sees these names as Any.
from django.conf import settings
from django.contrib.staticfiles.handlers import (
    ASGIStaticFilesHandler,
)
from django.core.asgi import get_asgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from uagate import UAGateMiddleware

STATIC = Path(__file__).resolve().parent / "static"

# Every request that reaches the home view is recorded here: the tests read it to
# prove that a gated request never reached the app.
home_calls: list[str] = []


def home(request: HttpRequest) -> HttpResponse:
    home_calls.append(request.path)
    return HttpResponse(
        '<!doctype html><link rel="stylesheet" href="/static/site.css"><h1>Hello from Django</h1>'
    )


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


class URLConf:
    """The URLconf: Django reads ``urlpatterns`` from ROOT_URLCONF, a module or any object."""

    urlpatterns: ClassVar[list[URLPattern]] = [path("", home), path("health", health)]


# Django's settings belong to the process and can be configured once: a second import
# of this file (in tests, say) keeps the first import's settings, and so its views.
if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="uagate-example-not-secret",  # use a real secret in a real project
        ALLOWED_HOSTS=["localhost", "127.0.0.1", "testserver"],
        ROOT_URLCONF=URLConf,
        MIDDLEWARE=[],
        INSTALLED_APPS=["django.contrib.staticfiles"],
        STATIC_URL="/static/",
        STATICFILES_DIRS=[STATIC],
    )

app = UAGateMiddleware(
    ASGIStaticFilesHandler(get_asgi_application()), exclude_paths=["/static/", "/health"]
)
