"""gunicorn's access log with signed-link tokens cut out (S5, S14).

`/links/reset/<token>` and `/links/invite/<token>` carry a token that stays valid for an hour (a
reset) or a week (an invitation): whoever reads the access log could use it. Every logged value
(request line, path, referrer, raw URI) has the token replaced by `[cut]`. gunicorn.conf.py names
this class, so `make run` and the production command both use it.
"""
from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

TOKEN_IN_PATH = re.compile(r"(/links/(?:reset|invite|referral)/)[^/?#\s\"]+")


def cut_tokens(value: str) -> str:
    """The text with every signed-link token replaced by `[cut]`."""
    return TOKEN_IN_PATH.sub(r"\1[cut]", value)


class TokenCuttingLogger(Logger):
    """gunicorn's logger; access log atoms pass through cut_tokens."""

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: cut_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}
