"""uagate: ASGI middleware that answers Internet Explorer with a clear page.

Everyone else passes through untouched. See :class:`UAGateMiddleware`,
:class:`Policy` and :func:`check`.
"""

from importlib.metadata import PackageNotFoundError, version

from uagate.decision import check
from uagate.detect import Client
from uagate.middleware import UAGateMiddleware
from uagate.notice import notice_html
from uagate.policy import DEFAULT_POLICY, Policy, Reason, Verdict

__all__ = [
    "DEFAULT_POLICY",
    "Client",
    "Policy",
    "Reason",
    "UAGateMiddleware",
    "Verdict",
    "__version__",
    "check",
    "notice_html",
]

try:
    __version__ = version("uagate")
except PackageNotFoundError:  # pragma: no cover - only when run from a bare source tree
    __version__ = "0.0.0"
