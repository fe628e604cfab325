"""One error base for everything the user can fix; the CLI prints it as one line."""


class UserError(Exception):
    """A problem the operator can fix (config, paths, unreachable server); never a traceback."""

    exit_code = 1


class ConfigError(UserError):
    """config.toml is missing, unreadable or invalid."""

    exit_code = 2


class SourceUnavailable(UserError):
    """The mailbox cannot be reached or logged into."""

    exit_code = 3
