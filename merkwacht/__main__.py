"""``python -m merkwacht``: the ``merkwacht`` command, for environments without the console script."""

from merkwacht.cli.main import main

main()
