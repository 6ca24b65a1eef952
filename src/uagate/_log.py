"""The ``uagate`` logger: one INFO record per gated request, failures once per cause."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # detect imports this module, and policy imports detect
    from starlette.types import Scope

    from uagate.policy import Verdict

__all__ = ["log_gated", "log_once", "logger"]

logger = logging.getLogger("uagate")

_logged_causes: set[str] = set()
_DIGITS = re.compile(r"\d+")
# C0 and C1 controls and the Unicode line and paragraph separators: anything a log
# viewer might take for the end of a line.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def log_once(exc: BaseException, doing: str, *, traceback: bool = False) -> None:
    """Log a failure once per distinct cause; the request still passes.

    The cause is the exception's type and message with numbers left out, so a
    parser error on a 5,000-digit version and one on 5,001 digits are one cause.
    At most 100 causes are remembered, so hostile input cannot grow the set.
    ``traceback`` adds the stack, for failures that are bugs rather than input.
    """
    cause = f"{type(exc).__name__}: {_DIGITS.sub('N', str(exc))[:120]}"
    if cause in _logged_causes or len(_logged_causes) >= 100:
        return
    _logged_causes.add(cause)
    logger.warning(
        "uagate: %s failed (%s); the request passes",
        doing,
        cause,
        exc_info=exc if traceback else None,
    )


def log_gated(scope: Scope, verdict: Verdict, report_only: bool) -> None:
    """One INFO record per gated (or, in report-only mode, would-be gated) request."""
    if not logger.isEnabledFor(logging.INFO):
        return
    client = verdict.client
    version = ".".join(map(str, client.version)) or "?"
    # Control characters dropped, so a path cannot forge log lines, and at most 2,000
    # characters of it, so a 1 MB path does not make a 1 MB log line. (Not through
    # starlette's URL: it decodes the query string as strict UTF-8 and can raise.)
    path = _CONTROL.sub("", scope.get("path", "")[:2000])
    logger.info(
        "uagate: %s %s %s (%s) %s %s",
        "would gate" if report_only else "gated",
        client.family,
        version,
        verdict.reason.value,
        scope.get("method", "WEBSOCKET"),
        path,
        extra={
            "uagate_family": client.family,
            "uagate_version": version,
            "uagate_reason": verdict.reason.value,
            "uagate_path": path,
            "uagate_report_only": report_only,
        },
    )
