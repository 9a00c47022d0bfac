"""Merkwacht: audit and monitoring of an organisation's own social-media brand accounts."""

__version__ = "0.1.0"
