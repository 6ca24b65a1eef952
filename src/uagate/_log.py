"""The ``uagate`` logger, and failures logged once per cause."""

from __future__ import annotations

import logging
import re

__all__ = ["CONTROL", "log_once", "logger"]

logger = logging.getLogger("uagate")

_logged_causes: set[str] = set()
_DIGITS = re.compile(r"\d+")
# C0 and C1 controls and the Unicode line and paragraph separators: anything a log
# viewer might take for the end of a line.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def log_once(
    exc: BaseException,
    doing: str,
    *,
    traceback: bool = False,
    outcome: str = "the request passes",
) -> None:
    """Log a failure once per distinct cause, with what happened instead (``outcome``).

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
        "uagate: %s failed (%s); %s",
        doing,
        cause,
        outcome,
        exc_info=exc if traceback else None,
    )
