"""Core calls in a child process behave like local ones: result, progress, errors, cancel."""

from __future__ import annotations

import threading

import pytest

from clipstudio.core.errors import BadInputError, Cancelled
from clipstudio.core.isolate import run_isolated
from clipstudio.core.progress import CancelToken


def test_result_and_progress_come_back(media):
    seen: list[float] = []
    info = run_isolated(
        "clipstudio.core.media.probe:probe", {"path": str(media.mono())},
        progress=seen.append,
    )  # fmt: skip
    assert info.audio.channels == 1
    assert seen and seen[-1] == 1.0


def test_user_errors_keep_their_type(tmp_path):
    with pytest.raises(BadInputError, match="not found"):
        run_isolated("clipstudio.core.media.probe:probe", {"path": str(tmp_path / "x")})


def test_cancel_reaches_the_child_and_its_ffmpeg(media, tmp_path):
    from plans import clip_plan

    from clipstudio.core.export.render import ExportJob
    from clipstudio.core.vocabulary import Fix

    token = CancelToken()
    threading.Timer(2.0, token.cancel).start()
    out = tmp_path / "out.mp4"
    # The child stopped its own ffmpeg ("<step>: cancelled", from process.run_process) rather
    # than being killed by the parent after the grace period (a bare "cancelled").
    with pytest.raises(Cancelled, match=r"\w: cancelled"):
        run_isolated(
            "clipstudio.core.export.render:export_clip",
            {"plan": clip_plan(media.long_with_pauses(), fix=[Fix.STABILISE]),
             "job": ExportJob(output=out)},
            cancel=token,
        )  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_a_cancel_after_the_child_has_exited_returns_at_once():
    """A cancel that races the end of a task must not wait for the child: with a
    multiprocessing Event, set() waited for the exited child's watcher to wake, for ever (the
    window's worker thread froze; 2 of 8 GUI test runs)."""
    import multiprocessing

    from isolate_targets import watch_then_exit

    from clipstudio.core.isolate import request_stop, stop_flag

    context = multiprocessing.get_context("spawn")
    stop = stop_flag(context)
    child = context.Process(target=watch_then_exit, args=(stop,))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    requester = threading.Thread(target=request_stop, args=(stop,), daemon=True)
    requester.start()
    requester.join(5)
    assert not requester.is_alive(), "the cancel request waited for a child that had exited"
