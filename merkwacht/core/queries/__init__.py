"""Reads that return plain data (dicts, tuples, dataclasses), never ORM objects attached to a session.

The dashboard and exports read only through these modules. Post-level queries take the
viewer's role and refuse the council role (PRIVACY.md R10); the council reaches only
:mod:`merkwacht.core.queries.council`.
"""
