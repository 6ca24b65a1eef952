"""uagate: ASGI middleware that answers Internet Explorer with a clear page.

Everyone else passes through untouched. See :class:`UAGateMiddleware`,
:class:`Policy` and :func:`check`; :class:`GateConfig` holds the options,
and :func:`decide` and :func:`respond` are the gate without a server
(adapters for WSGI and Django: :mod:`uagate.wsgi`, :mod:`uagate.django`).
"""

from importlib.metadata import PackageNotFoundError, version

from uagate.config import GateConfig
from uagate.core import Gate, decide, respond
from uagate.decision import check
from uagate.detect import Client
from uagate.middleware import UAGateMiddleware
from uagate.notice import notice_html
from uagate.policy import DEFAULT_POLICY, Policy, Reason, Verdict

__all__ = [
    "DEFAULT_POLICY",
    "Client",
    "Gate",
    "GateConfig",
    "Policy",
    "Reason",
    "UAGateMiddleware",
    "Verdict",
    "__version__",
    "check",
    "decide",
    "notice_html",
    "respond",
]

try:
    __version__ = version("uagate")
except PackageNotFoundError:  # pragma: no cover - only when run from a bare source tree
    __version__ = "0.0.0"
