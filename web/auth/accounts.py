"""Accounts, sign-in sessions and API tokens, kept in the graph's database beside the history.

Secrets are never stored: a session id and a token are random, and only their SHA-256 is kept
(they have 256 bits of entropy, so a fast hash is enough); passwords are Argon2id hashes.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from graph.edit.roles import check_role
from graph.store.base import Store
from web.auth.passwords import hash_password

NAME = re.compile(r"[A-Za-z0-9._@-]{1,64}\Z")
TOKEN = re.compile(r"ecm_([0-9a-f]{8})_([A-Za-z0-9_-]{43})\Z")


@dataclass(frozen=True)
class Account:
    """A person who may sign in (or whom the proxy names): name and role."""

    name: str
    role: str
    has_password: bool = False


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).isoformat(timespec="seconds")


# -- the statements (module constants, so tests can lint each as Neo4j would read it) ------

SAVE_ACCOUNT = (
    "MERGE (a:Account {name: $name}) SET a.role = $role, a.password_hash = $hash "
    "SET a.created_at = coalesce(a.created_at, $created_at)"
)
ACCOUNT = "MATCH (a:Account {name: $name}) RETURN a.role AS role, a.password_hash AS hash"
ACCOUNTS = (
    "MATCH (a:Account) RETURN a.name AS name, a.role AS role, "
    "a.password_hash IS NOT NULL AS pw ORDER BY a.name"
)
OPEN_SESSION = (
    "CREATE (s:LoginSession {key: $key, account: $name, created: $now, expires: $expires})"
)
SESSION_ACCOUNT = (
    "MATCH (s:LoginSession {key: $key}) WHERE s.expires > $now "
    "MATCH (a:Account {name: s.account}) RETURN a.name AS name, a.role AS role"
)
CLOSE_SESSION = "MATCH (s:LoginSession) WHERE s.key = $key OR s.expires < $now DELETE s"
CREATE_TOKEN = "CREATE (t:ApiToken) SET t = $record"
TOKEN_RECORD = "MATCH (t:ApiToken {id: $id}) RETURN properties(t) AS t"
TOKENS = "MATCH (t:ApiToken) RETURN properties(t) AS t ORDER BY t.created DESC"
REVOKE_TOKEN = (
    "MATCH (t:ApiToken {id: $id}) SET t.revoked = coalesce(t.revoked, $now) RETURN t.id AS id"
)


# -- accounts ---------------------------------------------------------------------------------


def add_account(store: Store, name: str, role: str, password: str | None) -> Account:
    """Create or update an account; ``password`` None keeps none (sign-in through the proxy)."""
    if not NAME.match(name):
        raise ValueError("a name is 1-64 letters, digits, '.', '_', '@' or '-'")
    check_role(role)
    props = {"name": name, "role": role, "created_at": _iso(time.time())}
    props["password_hash"] = hash_password(password) if password else None
    store.apply(
        SAVE_ACCOUNT,
        {
            "name": name,
            "role": role,
            "hash": props["password_hash"],
            "created_at": props["created_at"],
        },
    )
    return Account(name, role, bool(password))


def get_account(store: Store, name: str) -> tuple[Account, str | None] | None:
    """Return the account and its password hash, or None."""
    row = store.read(
        ACCOUNT,
        {"name": name},
    ).rows
    if not row:
        return None
    return Account(name, row[0]["role"], bool(row[0]["hash"])), row[0]["hash"]


def list_accounts(store: Store) -> list[Account]:
    """Return every account by name."""
    rows = store.read(ACCOUNTS)
    return [Account(r["name"], r["role"], bool(r["pw"])) for r in rows]


# -- sessions ---------------------------------------------------------------------------------


def open_session(store: Store, name: str, hours: float) -> str:
    """Start a session for ``name``; return its new random id (only its hash is stored)."""
    sid = secrets.token_urlsafe(32)
    now = time.time()
    store.apply(
        OPEN_SESSION,
        {"key": _sha(sid), "name": name, "now": now, "expires": now + hours * 3600},
    )
    return sid


def session_account(store: Store, sid: str) -> Account | None:
    """Return the account of a live session, or None (unknown or expired)."""
    rows = store.read(
        SESSION_ACCOUNT,
        {"key": _sha(sid), "now": time.time()},
    ).rows
    return Account(rows[0]["name"], rows[0]["role"]) if rows else None


def close_session(store: Store, sid: str) -> None:
    """End a session (and forget expired ones)."""
    store.apply(
        CLOSE_SESSION,
        {"key": _sha(sid), "now": time.time()},
    )


# -- API tokens -------------------------------------------------------------------------------


def create_token(
    store: Store, name: str, role: str, days: float | None, created_by: str = "admin"
) -> tuple[str, dict[str, Any]]:
    """Create a token with scope ``role``; return it (shown once) and what is stored of it."""
    check_role(role)
    token_id = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = f"ecm_{token_id}_{secret}"
    now = time.time()
    record = {
        "id": token_id, "name": name, "role": role, "hash": _sha(token), "created": now,
        "expires": now + days * 86400 if days else None, "created_by": created_by,
    }  # fmt: skip
    store.apply(CREATE_TOKEN, {"record": {k: v for k, v in record.items() if v}})
    return token, record


def token_actor(store: Store, token: str) -> tuple[Account | None, str]:
    """Return the token's identity (name, scope) and '' — or None and why it is refused."""
    match = TOKEN.match(token.strip())
    if not match:
        return None, "this is not an Ecomap API token"
    rows = store.read(TOKEN_RECORD, {"id": match.group(1)}).rows
    if not rows or not hmac.compare_digest(rows[0]["t"]["hash"], _sha(token.strip())):
        return None, "unknown token"
    record = rows[0]["t"]
    if record.get("revoked"):
        return None, f"this token was revoked on {_iso(record['revoked'])}"
    if record.get("expires") and record["expires"] < time.time():
        return None, f"this token expired on {_iso(record['expires'])}"
    return Account(f"token:{record['name']}", record["role"]), ""


def list_tokens(store: Store) -> list[dict[str, Any]]:
    """Return every token's record (never the token itself), newest first."""
    rows = store.read(TOKENS, row_cap_=1000)
    tokens = []
    for row in rows:
        record = {k: v for k, v in row["t"].items() if k != "hash"}
        for key in ("created", "expires", "revoked"):
            record[key] = _iso(record.get(key))
        tokens.append(record)
    return tokens


def revoke_token(store: Store, token_id: str) -> bool:
    """Revoke a token by id; return whether one was found."""
    rows = store.apply(
        REVOKE_TOKEN,
        {"id": token_id, "now": time.time()},
    ).rows
    return bool(rows)
