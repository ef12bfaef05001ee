"""Stop the embedded FalkorDB servers a test session started and left running.

Tests that kill an ``ecomap`` process with SIGKILL leave its server up by design (a server
outlives its clients until the last one leaves cleanly). At the end of a session every
``redis-server`` whose data folder lies under the session's temporary folder is stopped, so
runs do not pile up servers on the machine; servers of other sessions are left alone.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path


def _server_folder(pid: int) -> Path | None:
    """Return the data folder of a redis-server (its working directory), else None.

    Redis rewrites its process title, so the config path is not in its command line; it
    changes into its ``dir`` (the data folder) at start."""
    try:
        if Path(f"/proc/{pid}/comm").read_text().strip() != "redis-server":
            return None
        return Path(os.readlink(f"/proc/{pid}/cwd"))
    except OSError:
        return None


def servers_under(folder: Path) -> list[int]:
    """Return the pids of the redis-servers whose data folder lies under ``folder``."""
    root = folder.resolve()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            data = _server_folder(int(entry.name))
            if data is not None and data.is_relative_to(root):
                found.append(int(entry.name))
    return sorted(found)


def stop_servers_under(folder: Path) -> int:
    """SIGKILL each server under ``folder`` (its data is temporary); return how many."""
    stopped = 0
    for pid in servers_under(folder):
        try:
            os.kill(pid, signal.SIGKILL)
            stopped += 1
        except ProcessLookupError:
            pass
    return stopped
