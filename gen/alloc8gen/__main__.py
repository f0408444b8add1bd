# SPDX-License-Identifier: MIT
"""Entry point for `python3 -m alloc8gen`."""

import sys

from .cli import main

sys.exit(main())
