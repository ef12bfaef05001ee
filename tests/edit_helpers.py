"""Helpers for the editing tests: a freshly seeded store, accounts, signed-in clients."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from graph.load.loader import load_seeds
from graph.load.validation import read_seeds
from graph.store.base import Store
from web.auth.accounts import add_account

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
PEOPLE = {"vera": "viewer", "carl": "contributor", "erin": "editor", "eddy": "editor",
          "ada": "admin"}  # fmt: skip
SOURCE = "src-oulu-japan-2019"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


_ACCOUNTS: list[dict[str, Any]] = []  # the accounts as first stored, hashes included


def reseed(store: Store) -> None:
    """Empty the store, load the project's seeds (recorded by seed) and add the accounts.

    The accounts are made once per test process (five Argon2 hashes take 0.7 s) and copied
    as stored after that."""
    store.clear()
    load_seeds(store, read_seeds([ROOT / "seeds"], root=ROOT))
    if _ACCOUNTS:
        store.write("UNWIND $accounts AS p CREATE (a:Account) SET a = p", {"accounts": _ACCOUNTS})
        return
    for name, role in PEOPLE.items():
        add_account(store, name, role, PASSWORD)
    _ACCOUNTS.extend(row["p"] for row in store.read("MATCH (a:Account) RETURN properties(a) AS p"))


def csrf_token(client: Any, path: str = "/sign-in") -> str:
    """Return a CSRF token of the client's session, read from a form."""
    match = CSRF.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: Any, name: str, password: str = PASSWORD) -> Any:
    """Sign ``client`` in as ``name``; return the response."""
    token = csrf_token(client)
    return client.post("/sign-in", data={"name": name, "password": password, "csrf_token": token})


def revision_count(store: Store) -> int:
    return store.read("MATCH (r:Revision) RETURN count(r) AS n").value()


def evidence(**extra: Any) -> dict[str, Any]:
    """Form fields of a change's evidence."""
    return {"source": SOURCE, "evidence": "A quote from the source.", **extra}
