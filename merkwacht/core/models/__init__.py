"""The ORM models of every table in DESIGN.md. Import models from here."""

from .accounts import Account, OptIn
from .analysis import DISPOSITIONS, FINDING_STATUSES, SEVERITIES, Approval, Finding, PolicyVersion, Review
from .base import Base, JSONType, UTCDateTime, utcnow
from .posts import CollectionRun, Post, PostVersion
from .privacy import AccessLogAnchor, AccessLogEntry, InvestigationCase, PseudonymKey, RetentionRun
from .users import ROLES, User

__all__ = [
    "DISPOSITIONS", "FINDING_STATUSES", "ROLES", "SEVERITIES",
    "AccessLogAnchor", "AccessLogEntry", "Account", "Approval", "Base", "CollectionRun", "Finding", "InvestigationCase",
    "JSONType", "OptIn", "PolicyVersion", "Post", "PostVersion", "PseudonymKey", "RetentionRun", "Review", "User",
    "UTCDateTime", "utcnow",
]
