"""The house rules: one vocabulary, one limit, one clock, read the same by the CLI and the window."""

from __future__ import annotations

import pytest

from clipstudio.cli.parser import build_parser
from clipstudio.core.analysis.types import Finding
from clipstudio.core.edit.limits import LIMIT_SAFETY_S, fits, keep_budget
from clipstudio.core.speech.types import Transcript, Word
from clipstudio.core.timefmt import clock, parse_clock
from clipstudio.core.vocabulary import SWITCHED_FIXES, CaptionMode, Engine, Fix, Shape


def _choices(command: str, option: str) -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    action = next(a for a in sub._actions if option in a.option_strings)
    return [str(choice) for choice in action.choices]


def test_cli_choices_are_the_vocabulary() -> None:
    assert _choices("export", "--preset") == [str(s) for s in Shape]
    assert _choices("export", "--captions") == [str(m) for m in CaptionMode]
    assert _choices("export", "--engine") == _choices("transcribe", "--engine")
    assert _choices("export", "--engine") == [str(e) for e in Engine]


def test_every_switched_fix_is_a_cli_option() -> None:
    export = build_parser().parse_args(["export", "c.mp4", "-o", "o.mp4"])
    for fix in SWITCHED_FIXES:
        assert hasattr(export, fix.flag.lstrip("-").replace("-", "_")), fix
    assert Fix.PORTRAIT.cli_hint == "--fix-portrait blur"


def test_a_finding_names_a_fix_and_json_gives_its_option() -> None:
    finding = Finding(
        "lighting.too_dark", "warning", "Too dark", "Film brighter.", fix=Fix.BRIGHTEN
    )
    assert finding.to_dict()["fix"] == "--brighten"


def test_one_budget_for_the_limit() -> None:
    assert keep_budget(60.0) == pytest.approx(60.0 - LIMIT_SAFETY_S)
    assert keep_budget(60.0, 3.0) == pytest.approx(57.0 - LIMIT_SAFETY_S)
    assert fits(keep_budget(60.0, 3.0), 3.0) and not fits(keep_budget(60.0, 3.0) + 0.01, 3.0)


@pytest.mark.parametrize(
    ("seconds", "decimals", "text"),
    [(0, 1, "0:00.0"), (59.96, 1, "1:00.0"), (65.25, 2, "1:05.25"), (125.4, 0, "2:05"),
     (-3, 1, "0:00.0")],
)  # fmt: skip
def test_clock_rounds_once(seconds: float, decimals: int, text: str) -> None:
    assert clock(seconds, decimals) == text


def test_clock_reads_what_it_writes() -> None:
    assert parse_clock("1:02.5") == 62.5 and parse_clock("62,5") == 62.5
    assert parse_clock(clock(83.27, 2)) == pytest.approx(83.27)
    for bad in ("nan", "-1", "x", "1:inf"):
        with pytest.raises(ValueError):
            parse_clock(bad)


def _spoken(sentence_ends: list[float]) -> Transcript:
    """A different two-word sentence ending at each time, each starting 1.2 s before its end."""
    words = []
    for number, end in enumerate(sentence_ends):
        words.append(Word(f" Point{number}", end - 1.2, end - 0.7, 0.9))
        words.append(Word(" matters.", end - 0.6, end, 0.9))
    return Transcript(tuple(words), "en", 80.0)


def test_cli_and_window_auto_trim_cut_at_the_same_place(monkeypatch, qtbot) -> None:
    """The first five sentences keep 59.85 s: inside the 59.9 s budget. The command line took
    the 0.1 s margin off twice (budget 59.8) and dropped the fifth; the window kept it."""
    from PySide6.QtGui import QUndoStack

    from clipstudio.core.edit.plan import EditPlan, Take
    from clipstudio.core.export import prepare
    from clipstudio.core.media.probe import AudioInfo, MediaInfo
    from clipstudio.core.vocabulary import Trim
    from clipstudio.gui.session import ClipSession
    from clipstudio.gui.workers import TaskRunner

    # Kept from 3.65 (the first word less the 0.15 s margin) to 63.35 + 0.15.
    transcript = _spoken([5.0, 15.0, 30.0, 45.0, 63.35, 75.0])
    media = MediaInfo("talk.mp4", "mov,mp4", 80.0, 1, None, AudioInfo("aac", "LC", 48000, 1, 80.0))

    class Transcriber:
        def transcribe(self, *_args: object, **_kwargs: object) -> Transcript:
            return transcript

    monkeypatch.setattr(
        "clipstudio.core.speech.transcribe.get_transcriber", lambda *_a, **_k: Transcriber()
    )
    plan = EditPlan(takes=(Take("talk.mp4"),), trim=Trim.SENTENCES)
    cli = prepare.prepare_plan(plan, {"talk.mp4": media}, engine=prepare.Engine.FASTER_WHISPER,
                               model=None, progress=lambda _f: None, cancel=None,
                               log=lambda _m: None)  # fmt: skip
    history = QUndoStack()
    session = ClipSession("talk.mp4", TaskRunner(), history)
    session.project, session.media, session.transcript = new_project_for(media), media, transcript
    window = session.auto_trim(end_card=0.0)
    assert [t.segment for t in cli.takes] == list(window)
    assert window[-1].end == pytest.approx(63.5)
    assert sum(s.duration for s in window) == pytest.approx(59.85)
    history.clear()  # its commands hold the session (see tests/test_gui.py caption_model)


def new_project_for(media: object):
    from clipstudio.core.edit.project import Project

    return Project(source="talk.mp4", source_size=1, source_mtime_ns=1)
