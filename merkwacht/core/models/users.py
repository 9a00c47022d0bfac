"""Dashboard users and their roles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

ROLES = ("comms", "council", "admin")


class User(Base):
    """A person who may use the dashboard. ``password_hash`` is an Argon2 hash; empty for SSO-only users."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(200), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    #: The OIDC subject (``sub``) when the user signs in through single sign-on.
    oidc_subject: Mapped[str | None] = mapped_column(String(300), unique=True)
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
