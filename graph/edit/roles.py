"""Who may do what: viewer, contributor, editor, admin, each allowed what the one before is."""

from __future__ import annotations

from dataclasses import dataclass

from graph.errors import NotAllowedError

ROLES = ("viewer", "contributor", "editor", "admin")
RANK = {role: rank for rank, role in enumerate(ROLES)}
# The least role each action needs.
NEEDS = {
    "read": "viewer",
    "propose": "contributor",  # a change that waits for review
    "edit": "editor",  # a change that applies at once
    "review": "editor",
    "revert": "editor",
    "confirm": "editor",
    "admin": "admin",
}


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a person's name and role, and the way it came (form, api, seed)."""

    name: str
    role: str
    via: str = "form"

    def may(self, action: str) -> bool:
        """Whether this actor's role allows ``action``."""
        return RANK.get(self.role, -1) >= RANK[NEEDS[action]]

    def require(self, action: str) -> None:
        """Raise :class:`NotAllowedError` unless the role allows ``action``."""
        if not self.may(action):
            raise NotAllowedError(f"the role '{self.role}' may not {action}")


SEED = Actor("seed", "editor", via="seed")


def check_role(role: str) -> str:
    """Return ``role`` if it is one of :data:`ROLES`, else raise ValueError."""
    if role not in RANK:
        raise ValueError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    return role
