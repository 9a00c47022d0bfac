"""Built-in rules, one module each; every module registers through :func:`merkwacht.analysis.registry.rule`."""
