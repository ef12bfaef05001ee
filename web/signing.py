"""Signed, expiring links: an HMAC of one view's path and query, so a link opens that view only."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit

from itsdangerous import Signer
from werkzeug.datastructures import MultiDict

SIGNATURE_PARAMS = ("exp", "sig", "snapshot")  # a snapshot of the view is the same view


class LinkError(Exception):
    """A signed link that does not open: tampered, expired or malformed."""


def _message(path: str, pairs: Iterable[tuple[str, str]], expires: int) -> bytes:
    kept = sorted((k, v) for k, v in pairs if k not in SIGNATURE_PARAMS)
    return f"{path}?{urlencode(kept)}&exp={expires}".encode()


def _signer(secret: str) -> Signer:
    """Return an HMAC-SHA256 signer keyed with the secret itself (unpadded URL-safe base64)."""
    return Signer(secret, key_derivation="none", digest_method=hashlib.sha256)


def sign(secret: str, url: str, *, days: float, now: float | None = None) -> str:
    """Return ``url`` (a path with its query) with ``exp`` and ``sig`` added."""
    if not secret:
        raise ValueError("signing links needs ECOMAP_SECRET_KEY")
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    expires = int((now or time.time()) + days * 86400)
    signature = _signer(secret).get_signature(_message(parts.path, pairs, expires)).decode()
    kept = [(k, v) for k, v in pairs if k not in ("exp", "sig")]
    return f"{parts.path}?{urlencode([*kept, ('exp', expires), ('sig', signature)])}"


def verify(secret: str, path: str, args: MultiDict, *, now: float | None = None) -> int:
    """Return the link's expiry if ``sig`` matches ``path`` and its query, else raise."""
    raw_expiry, signature = args.get("exp", ""), args.get("sig", "")
    if not re.fullmatch(r"[0-9]{1,12}", raw_expiry) or not signature:
        raise LinkError("this link is not signed, or its signature is incomplete")
    expires = int(raw_expiry)
    message = _message(path, args.items(multi=True), expires)
    if not _signer(secret).verify_signature(message, signature.encode()):
        raise LinkError("this link was changed after it was signed, so it does not open")
    if expires < (now or time.time()):
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(expires))
        raise LinkError(f"this link expired on {stamp}; ask for a new one")
    return expires
