"""Keeps the tokens of hosted onboarding links out of every log line this project writes.

The link's own view answers every request with a redirect, so Django's request logger (4xx and 5xx
answers) never writes its path; this filter, on every handler, covers what remains: the development
server's access lines and any message that quotes a path.
"""

import logging
import re

# The token's URL (onboarding/web/urls.py): 43 URL-safe characters; the shortest token-like run redacted is
# 20, longer than any of the link's other path names. Also percent-encoded, as in a sign-in page's ``next``.
TOKEN_PATH = re.compile(r"((?:/|%2F)onboard(?:/|%2F))[A-Za-z0-9_-]{20,}", re.IGNORECASE)
REDACTED = r"\1[redacted]"


def redact(text: str) -> str:
    return TOKEN_PATH.sub(REDACTED, text)


class RedactLinkTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is left for the handler to report
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
