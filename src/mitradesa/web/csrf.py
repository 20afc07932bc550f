"""CSRF tokens bound to the login session.

Logged in, a form's token is an HMAC of the session token under MITRADESA_SECRET_KEY: a token
of another session (another user's, or one's own before login) does not match, and every
login issues a new one. Anonymous (the login form), the token is the random pre-session value
of the CSRF cookie, echoed by the form (double submit).
"""

from __future__ import annotations

import hashlib
import hmac

from mitradesa.settings import get_settings

SESSION_COOKIE = "mitradesa_session"


def csrf_token_for(pre_session: str, session_token: str | None) -> str:
    """The token forms must send: bound to `session_token` when there is one."""
    if not session_token:
        return pre_session
    key = get_settings().secret_key.encode()
    return hmac.new(key, b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()
