"""The record of open clips and recent files that brings the window's work back on restart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clipstudio.core.edit.recent import (
    RECENT_LIMIT,
    OpenRecord,
    load_record,
    record_file,
    save_record,
)
from clipstudio.core.paths import log_dir


def test_record_round_trips_atomically(tmp_path: Path) -> None:
    clips = [str(tmp_path / f"clip{n}.mp4") for n in range(3)]
    record = OpenRecord().with_opened(clips).with_clips(clips, 1).with_folder(tmp_path)
    save_record(record)
    assert record_file().parent.name == "clipstudio"  # under the app's state folder
    assert load_record() == record
    assert record.recent == tuple(clips)  # opened together: the first one first
    assert record.clips == tuple(clips) and record.current == 1
    # No temporary file is left beside it (the log folder sits in the same state folder on Linux,
    # and another test may have made it).
    beside = [p.name for p in record_file().parent.iterdir() if p != log_dir()]
    assert beside == [record_file().name]


def test_recent_files_are_most_recent_first_and_capped(tmp_path: Path) -> None:
    record = OpenRecord()
    for n in range(RECENT_LIMIT + 3):
        record = record.with_opened([f"/v/{n}.mp4"])
    assert len(record.recent) == RECENT_LIMIT
    assert record.recent[0] == f"/v/{RECENT_LIMIT + 2}.mp4"
    again = record.with_opened(["/v/5.mp4"])
    assert again.recent[0] == "/v/5.mp4" and again.recent.count("/v/5.mp4") == 1


def test_damaged_or_foreign_record_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_text("{not json", encoding="utf-8")
    assert load_record(path) == OpenRecord()
    path.write_text(json.dumps({"version": 99, "clips": ["/a.mp4"]}), encoding="utf-8")
    assert load_record(path) == OpenRecord()
    assert load_record(tmp_path / "missing.json") == OpenRecord()


def test_dialogs_open_in_the_last_folder_else_videos(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    videos = tmp_path / "Videos"
    monkeypatch.setattr("clipstudio.core.edit.recent.videos_dir", lambda: videos)
    assert OpenRecord().dialog_folder() == str(Path.home())  # no Videos folder yet
    videos.mkdir()
    assert OpenRecord().dialog_folder() == str(videos)
    used = tmp_path / "phone"
    used.mkdir()
    assert OpenRecord().with_folder(used).dialog_folder() == str(used)
    used.rmdir()  # gone (an unplugged stick): back to Videos
    assert OpenRecord().with_folder(used).dialog_folder() == str(videos)


def test_recent_files_that_are_gone_are_not_offered(tmp_path: Path) -> None:
    here = tmp_path / "here.mp4"
    here.write_bytes(b"x")
    record = OpenRecord().with_opened([str(here), str(tmp_path / "gone.mp4")])
    assert record.existing_recent() == [str(here)]
