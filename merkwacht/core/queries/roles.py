"""Who is asking: the viewer of a query and the role check every query makes (PRIVACY.md R10).

Roles are enforced here, in the query layer, not only in the dashboard pages: a post-level
query starts with ``require_role(viewer, "comms", "admin")`` so the council role can never
reach a single post or finding, whatever page or script calls it. The council reaches only
:mod:`merkwacht.core.queries.council`.
"""

from __future__ import annotations

from dataclasses import dataclass

from merkwacht.core.errors import Refused
from merkwacht.core.models.users import ROLES

#: Roles that may see post-level data (single posts, findings, evidence).
POST_LEVEL_ROLES = ("comms", "admin")
#: Roles that may see the council aggregates (everyone; they are anonymous by construction).
AGGREGATE_ROLES = ROLES


@dataclass(frozen=True, slots=True)
class Viewer:
    """The person a query runs for: a username and one of :data:`ROLES` (comms, council, admin)."""

    username: str
    role: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise Refused(f"onbekende rol {self.role!r} voor {self.username!r}; bekend zijn: {', '.join(ROLES)}")


def require_role(viewer: Viewer | None, *roles: str) -> Viewer:
    """Return ``viewer`` if their role is one of ``roles``; raise :class:`Refused` otherwise.

    ``None`` (nobody signed in) is always refused.
    """
    if not roles:
        raise ValueError("require_role needs at least one role")
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown role(s) {unknown!r}; known: {ROLES!r}")
    if viewer is None:
        raise Refused("niet aangemeld: deze gegevens zijn alleen voor " + ", ".join(roles))
    if viewer.role not in roles:
        raise Refused(
            f"de rol {viewer.role!r} van {viewer.username!r} mag dit niet zien "
            f"(alleen {', '.join(roles)}); refused for role {viewer.role!r}"
        )
    return viewer


def require_post_level(viewer: Viewer | None) -> Viewer:
    """Shorthand for the post-level roles (comms, admin): the council is refused (R10)."""
    return require_role(viewer, *POST_LEVEL_ROLES)
