"""Detectors behind the text rules: normalisation against obfuscation, lexicon matching, tone and claims.

Everything here is pure and fast: compiled once from the data files in
``merkwacht/analysis/data`` and then applied with C-speed regular expressions.
"""
