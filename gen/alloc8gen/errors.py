# SPDX-License-Identifier: MIT
"""The one error type a user ever sees: `file:line: what is wrong; what was expected`, on one line
with no control characters, whatever the file's name and contents."""

import unicodedata

# Unicode categories never printed as they are: controls, format characters (bidirectional
# overrides, ...), surrogates (undecodable bytes of a file name), private use, unassigned, and
# line and paragraph separators.
_HIDDEN = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def printable(text):
    """`text` with every character that could break or disguise a one-line message escaped as
    \\xNN, \\uNNNN (a byte of a file name that is not UTF-8 shows as \\xNN)."""
    text = str(text)
    if text.isprintable() and text.isascii():
        return text
    out = []
    for c in text:
        o = ord(c)
        if c == "\t" or (c.isprintable() and unicodedata.category(c) not in _HIDDEN):
            out.append(" " if c == "\t" else c)
        elif 0xDC80 <= o <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte
            out.append(f"\\x{o - 0xDC00:02x}")
        elif o < 0x100:
            out.append(f"\\x{o:02x}")
        elif o < 0x10000:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    return "".join(out)


def shorten(text, limit=60):
    """`text` cut to about `limit` characters (values from a spec are quoted in messages)."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class SpecError(Exception):
    """A problem with the user's spec file, located at a line."""

    def __init__(self, path, line, what, expected):
        super().__init__(what)
        self.path = path
        self.line = line
        self.what = what
        self.expected = expected

    def __str__(self):
        return printable(f"{self.path}:{self.line}: {self.what}; expected {self.expected}")


class UsageError(Exception):
    """A problem with the command line (not with the spec)."""

    def __str__(self):
        return printable(super().__str__())
