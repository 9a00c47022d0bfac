"""Writes. Every function takes a ``session`` keyword and never commits: the caller owns the transaction."""
