"""What a test does when a tool it needs is missing: skip on a developer's machine, fail in CI.

`make test` (and so CI) installs Chromium, Lucene, Java's compiler and Neo4j's linter itself,
so a missing tool there is a broken set-up, not a reason to pass quietly.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def missing(reason: str) -> NoReturn:
    """Skip the test saying ``reason``, or fail it when the ``CI`` variable is set."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must install it: see `make test`)", pytrace=False)
    pytest.skip(reason)
