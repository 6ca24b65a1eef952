"""The ``uagate`` logger, and failures logged once per cause."""

from __future__ import annotations

import logging
import re

__all__ = ["CONTROL", "log_once", "logger"]

logger = logging.getLogger("uagate")

_logged_causes: set[tuple[str, str, tuple[str, int] | None]] = set()
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
    """Log a failure once per cause, with what happened instead (``outcome``).

    The cause is where it happened, not what its message says: what uagate was
    doing, the exception's type and the line that raised it. So a hook whose
    error text holds request data, or a parser error on a 5,000-digit version,
    is logged once, whatever the text, and hostile input cannot fill the set
    (at most 100 causes are remembered). The message is shown without control
    characters and cut to 200 characters. ``traceback`` adds the stack, for
    failures that are bugs rather than input.
    """
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    where = (frame.tb_frame.f_code.co_filename, frame.tb_lineno) if frame is not None else None
    cause = (doing, type(exc).__name__, where)
    if cause in _logged_causes or len(_logged_causes) >= 100:
        return
    _logged_causes.add(cause)
    message = CONTROL.sub("", str(exc)[:200])
    logger.warning(
        "uagate: %s failed (%s: %s); %s",
        doing,
        type(exc).__name__,
        message,
        outcome,
        exc_info=exc if traceback else None,
    )
