"""The ``uagate`` logger, and failures logged once per cause."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from traceback import TracebackException

from uagate._text import CONTROL, printable

__all__ = ["CONTROL", "log_once", "logger"]

logger = logging.getLogger("uagate")

_logged_causes: set[tuple[str, str, tuple[str, int] | None]] = set()

# What Python's own traceback says between two exceptions of a chain.
_CAUSE = "The above exception was the direct cause of the following exception:"
_CONTEXT = "During handling of the above exception, another exception occurred:"


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
    (at most 100 causes are remembered). The message is shown
    :func:`~uagate._text.printable` (without control or format characters) and
    cut to 200 characters. ``traceback`` adds the stack, for failures that are
    bugs rather than input: the record keeps the exception (``exc_info``), and
    its traceback text is made printable line by line, each exception's message
    on one line of its own.
    """
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    where = (frame.tb_frame.f_code.co_filename, frame.tb_lineno) if frame is not None else None
    cause = (doing, type(exc).__name__, where)
    if cause in _logged_causes or len(_logged_causes) >= 100:
        return
    _logged_causes.add(cause)
    if not logger.isEnabledFor(logging.WARNING):
        return
    path, line, function, _ = logger.findCaller()
    record = logger.makeRecord(
        logger.name,
        logging.WARNING,
        path,
        line,
        "uagate: %s failed (%s: %s); %s",
        (doing, printable(type(exc).__name__), printable(str(exc)[:200]), outcome),
        (type(exc), exc, exc.__traceback__) if traceback else None,
        function,
    )
    if traceback:
        # Formatters show exc_text where it is set, rather than format exc_info again.
        record.exc_text = "\n".join(_traceback_lines(TracebackException.from_exception(exc)))
    logger.handle(record)


def _chain(report: TracebackException) -> list[tuple[TracebackException, str]]:
    """``report`` and the exceptions behind it, first cause first.

    Each with the line that links it to the one before it ("" for the first).
    """
    chain: list[tuple[TracebackException, str]] = []
    current: TracebackException | None = report
    while current is not None:  # the exception, then what caused it, ...
        if current.__cause__ is not None:
            chain.append((current, _CAUSE))
            current = current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            chain.append((current, _CONTEXT))
            current = current.__context__
        else:
            chain.append((current, ""))
            current = None
    return chain[::-1]


def _traceback_lines(report: TracebackException) -> Iterator[str]:
    """The lines of the traceback Python would show for ``report``, each printable.

    The stack's lines as Python writes them; each exception's type and message
    (and note) on one line, without the line breaks that its text may hold, so
    that no exception's text forges another line. An exception group's members
    follow it, indented with ``|``.
    """
    for exception, link in _chain(report):
        if link:
            yield from ("", link, "")
        if exception.stack:
            yield "Traceback (most recent call last):"
            for frame in exception.stack.format():
                yield from map(printable, frame.rstrip("\n").split("\n"))
        yield from map(printable, exception.format_exception_only())
        for member in getattr(exception, "exceptions", None) or ():  # groups: Python 3.11+
            yield from ("  | " + line for line in _traceback_lines(member))
