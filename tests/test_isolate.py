"""Core calls in a child process behave like local ones: result, progress, errors, cancel."""

from __future__ import annotations

import threading
import time

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
    from clipstudio.core.export.render import ExportRequest

    token = CancelToken()
    threading.Timer(2.0, token.cancel).start()
    out = tmp_path / "out.mp4"
    started = time.monotonic()
    with pytest.raises(Cancelled):
        run_isolated(
            "clipstudio.core.export.render:export_clip",
            {"request": ExportRequest(source=media.long_with_pauses(), output=out,
                                      caption_mode="none", stabilise=True)},
            cancel=token,
        )  # fmt: skip
    assert time.monotonic() - started < 2.0 + 5.0
    assert list(tmp_path.iterdir()) == []
