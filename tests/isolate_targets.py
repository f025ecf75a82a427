"""Functions a spawned test child runs (a module the child can import by name)."""

from __future__ import annotations

import threading
import time
from typing import Any

from clipstudio.core.isolate import watch_stop
from clipstudio.core.progress import CancelToken


def watch_then_exit(stop: Any) -> None:
    """A child that is watching for a stop request when it exits, as a finished task's child
    does: its watcher thread dies mid-watch."""
    threading.Thread(target=watch_stop, args=(stop, CancelToken()), daemon=True).start()
    time.sleep(0.5)
