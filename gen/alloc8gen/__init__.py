# SPDX-License-Identifier: MIT
"""alloc8gen: turn one YAML allocator spec into per-platform C glue."""

__version__ = "0.1.0"
