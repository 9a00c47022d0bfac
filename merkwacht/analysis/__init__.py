"""Analysis: policy packs (data files), rules (pure functions), the engine and evaluation.

Imports only ``merkwacht.core``; rules touch no database, network or clock.
"""
