"""The installed PySide6 must not leak references to Python singletons.

PySide6 6.12.0 dropped a reference to None on every QApplication.processEvents() and to
True/False on every signal emit; a long export or transcription then aborted the whole app with
"Fatal Python error: none_dealloc". pyproject.toml excludes that release; this test catches a
new release with the same fault before a volunteer does.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

# Few enough that a leaking build fails the assertion before True/False run out and abort.
CALLS = 300
# A handful of references may come and go with caches; a leak shows one per call.
ALLOWED_DRIFT = 50


class _Emitter(QObject):
    fraction = Signal(float)
    payload = Signal(object)


def test_process_events_and_emit_keep_refcounts(qapp):
    emitter = _Emitter()
    received: list[object] = []
    emitter.fraction.connect(received.append)
    emitter.payload.connect(received.append)
    before = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    for _ in range(CALLS):
        qapp.processEvents()
        emitter.fraction.emit(0.5)
        emitter.payload.emit(None)
    received.clear()
    after = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    for name, old, new in zip(("None", "True", "False"), before, after, strict=True):
        assert abs(new - old) < ALLOWED_DRIFT, f"{name}: {old} -> {new} references"
