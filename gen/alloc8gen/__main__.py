# SPDX-License-Identifier: MIT
"""Entry point for `python3 -m alloc8gen`."""

import sys

# The generator's two dependencies, checked before anything imports them: a Python without them
# gets one line, never a traceback. Exit status 4 (MISSING_DEPENDENCIES) tells bin/alloc8-gen to
# try its next interpreter; it sets ALLOC8_GEN_WRAPPED so that this one stays quiet.
MISSING_DEPENDENCIES = 4
try:
    import jinja2  # noqa: F401
    import yaml  # noqa: F401
    too_old = sys.version_info < (3, 7)
except ImportError as error:
    missing, too_old = error.name, False
else:
    missing = None
if missing or too_old:
    import os

    if not os.environ.get("ALLOC8_GEN_WRAPPED"):
        what = f"cannot import {missing}" if missing else "is older than 3.7"
        print(f"alloc8-gen: this Python ({sys.executable}) {what}. On Debian/Ubuntu: apt-get install "
              "python3-jinja2 python3-yaml, and run it with /usr/bin/python3.", file=sys.stderr)
    sys.exit(MISSING_DEPENDENCIES)

from .cli import main  # noqa: E402  (after the check above)

sys.exit(main())
