"""The `merkwacht` command: thin, it parses arguments and calls the packages below it."""
