"""The demo app, as ``./scripts/demo`` and ``uagate demo`` serve it.

It lives in the package (``uagate.demo``) so that ``uagate demo`` works from
an installed copy; this file lets ``uvicorn --app-dir examples demo:app`` find
it too.
"""

from uagate.demo import app

__all__ = ["app"]
