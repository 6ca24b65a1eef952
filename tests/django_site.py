"""A Django site for the gate's Django adapter: views, URLconf, and the servers' factories.

tests/test_django.py uses the views with Django's test clients, under settings
of its own; the servers it starts (uvicorn for ASGI, gunicorn for WSGI) call
:func:`asgi` or :func:`wsgi`, which configure the process's settings with
uagate in ``MIDDLEWARE`` first. Django's settings belong to the process, so
only those servers call them.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

#: The paths that reached a view (the tests prove a gated request never does).
calls: list[str] = []


def sync_view(request: HttpRequest) -> HttpResponse:
    """A sync view, naming the reason of the verdict the gate passed on."""
    calls.append(request.path)
    return HttpResponse(f"sync view ({request.uagate.reason})")


async def async_view(request: HttpRequest) -> HttpResponse:
    """An async view, naming the reason of the verdict the gate passed on."""
    await asyncio.sleep(0)
    calls.append(request.path)
    return HttpResponse(f"async view ({request.uagate.reason})")


def vary_view(request: HttpRequest) -> HttpResponse:
    """A view whose own Vary ends in a stray comma."""
    response = HttpResponse("vary")
    response["Vary"] = "Accept-Encoding,"
    return response


def health(request: HttpRequest) -> HttpResponse:
    """A health check, excluded from the gate."""
    return HttpResponse("ok")


class URLConf:
    """The URLconf: Django reads ``urlpatterns`` from ROOT_URLCONF, a module or any object."""

    urlpatterns: ClassVar[list[URLPattern]] = [
        path("", sync_view),
        path("async", async_view),
        path("health", health),
        path("vary", vary_view),
    ]


def _configure() -> None:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="uagate-tests-not-secret",
        ALLOWED_HOSTS=["127.0.0.1"],
        ROOT_URLCONF=URLConf,
        MIDDLEWARE=["uagate.django.UAGateMiddleware"],
        UAGATE={"exclude_paths": ["/health"], "vary_user_agent": True},
    )


def asgi() -> Any:
    """The site as an ASGI app (``uvicorn --factory tests.django_site:asgi``)."""
    from django.core.asgi import get_asgi_application

    _configure()
    return get_asgi_application()


def wsgi() -> Any:
    """The site as a WSGI app (``gunicorn 'tests.django_site:wsgi()'``)."""
    from django.core.wsgi import get_wsgi_application

    _configure()
    return get_wsgi_application()
