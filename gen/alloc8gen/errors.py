"""The one error type a user ever sees: `file:line: what is wrong; what was expected`."""


class SpecError(Exception):
    """A problem with the user's spec file, located at a line."""

    def __init__(self, path, line, what, expected):
        super().__init__(what)
        self.path = path
        self.line = line
        self.what = what
        self.expected = expected

    def __str__(self):
        return f"{self.path}:{self.line}: {self.what}; expected {self.expected}"


class UsageError(Exception):
    """A problem with the command line (not with the spec)."""
