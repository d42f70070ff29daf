"""Log lines without personal data: no query string values (names searched for), no secret
tokens in paths (calendar feeds). Used by Django's own loggers and by gunicorn's access log."""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger as GunicornBaseLogger

# A query string: what follows "?" up to a space or a quote.
QUERY = re.compile(r"\?[^\s\"']*")
# A calendar feed's address is its secret: /calendar/<token>.ics, personal or team.
FEED_TOKEN = re.compile(r"(/calendar/(?:[\w-]+/)*)[\w-]{16,}(\.ics)")


def redact(text: str) -> str:
    """The same line with every query string and feed token replaced by a marker."""
    text = FEED_TOKEN.sub(r"\1[token]\2", text)
    return QUERY.sub("?[…]", text)


class RedactingFilter(logging.Filter):
    """For Django's request and development-server loggers, whose lines name the path."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


class GunicornLogger(GunicornBaseLogger):
    """gunicorn's access log with the request line, path, query and referrer redacted."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # Every atom: the request line, the path, the referrer, and the header and environ
        # atoms ({referer}i, {query_string}e...) a custom format could name.
        atoms = {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}
        for key in atoms:
            if key == "q" or "query_string" in key.lower():
                atoms[key] = ""
        return atoms
