"""The GUI's pure rules: post copy limits/tips/imprint and the project autosave format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clipstudio.core.branding.imprint import (
    IMPRINT_EXAMPLE,
    Imprint,
    format_imprint,
    imprint_from_text,
    imprint_problems,
)
from clipstudio.core.branding.postcopy import (
    BODY_LIMIT,
    HEADLINE_LIMIT,
    LINK_DESCRIPTION_LIMIT,
    PostCopy,
    body_count,
    calls_to_action,
    compose_post,
    headline_count,
    link_description_count,
    tips,
    urgency_words,
)
from clipstudio.core.edit.plan import Segment
from clipstudio.core.edit.project import (
    Project,
    load_project,
    new_project,
    project_file_for,
    project_from_dict,
    project_to_dict,
    restore_or_new,
    save_project,
)
from clipstudio.core.errors import BadInputError
from clipstudio.core.speech.types import Caption


def test_limits_are_the_guides() -> None:
    assert (HEADLINE_LIMIT, BODY_LIMIT, LINK_DESCRIPTION_LIMIT) == (25, 90, 30)


def test_counters_flag_copy_over_the_limit() -> None:
    assert headline_count("Save our library").used == 16
    assert not headline_count("Save our library").over
    long = headline_count("Save our library from closure now")
    assert long.over and long.remaining == 25 - 33 and long.label() == "33 / 25"
    assert body_count("x" * 90).remaining == 0 and not body_count("x" * 90).over
    assert link_description_count("x" * 31).over
    # Accents typed as two code points count as one character, as the reader sees them.
    assert headline_count("Cafe\u0301").used == 4


def test_call_to_action_detection() -> None:
    assert calls_to_action("Sign up today to save the library") == ["sign up"]
    assert calls_to_action("Sign the petition and share this video") == [
        "sign the petition",
        "share",
    ]
    assert calls_to_action("The library matters.") == []
    # Words that merely contain a phrase do not count.
    assert calls_to_action("The signal is clear, shareholders agree") == []
    # One action said twice is one call to action, named by its longest phrase.
    assert calls_to_action("Sign today! Sign the petition to save it.") == ["sign the petition"]
    assert calls_to_action("Join us on Saturday, join the walk") == ["join us"]


def test_one_action_said_twice_gets_the_one_call_to_action_tip() -> None:
    """The CTA tip counted "sign" and "sign the petition" as two calls to action."""
    copy = PostCopy(headline="Sign now", body="Sign the petition today to keep it open.")
    texts = [tip.text for tip in tips(copy)]
    assert "One clear call to action: 'sign the petition'." in texts
    assert not any("Pick one call to action" in t for t in texts)


def test_urgency_words() -> None:
    assert urgency_words("Vote now") == ["now"]
    assert urgency_words("Come along TODAY") == ["today"]
    assert urgency_words("Knowledge is power") == []


def test_tips_follow_the_guide() -> None:
    good = PostCopy(
        headline="Save our library",
        body="Sign the petition today.",
        imprint=Imprint("Jo Bloggs", "Ann Smith", "1 High St, Town AB1 2CD"),
    )
    assert all(tip.level == "ok" for tip in tips(good)), tips(good)
    busy = PostCopy(headline="x" * 30, body="Share this and donate and vote")
    texts = [tip.text for tip in tips(busy) if tip.level == "advice"]
    assert any("Headline is 5 characters too long" in t for t in texts)
    assert any("Pick one call to action" in t and "'donate'" in t for t in texts)
    assert any("today" in t for t in texts)
    assert any(t.startswith("Imprint:") for t in texts)


def test_imprint_format_and_problems() -> None:
    imprint = Imprint("Jo Bloggs", "Ann Smith", "1 High St\nTown AB1 2CD")
    assert format_imprint(imprint) == (
        "Promoted by Jo Bloggs on behalf of Ann Smith, both at 1 High St, Town AB1 2CD"
    )
    # The video's imprint in the Electoral Commission's wording comes back word for word.
    parsed = imprint_from_text(IMPRINT_EXAMPLE)
    assert parsed is not None and format_imprint(parsed) == IMPRINT_EXAMPLE
    assert format_imprint(Imprint("Ann Smith", "ann smith", "1 High St")) == (
        "Promoted by Ann Smith, 1 High St"
    )
    assert format_imprint(Imprint()) == ""
    assert len(imprint_problems(Imprint())) == 2
    assert imprint_problems(imprint) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (IMPRINT_EXAMPLE, Imprint("A. Agent", "C. Candidate", "1 High Street, Town, AB1 2CD")),
        (
            "promoted by Jo Bloggs, 2 Mill Lane, X1 1XX",
            Imprint("Jo Bloggs", "", "2 Mill Lane, X1 1XX"),
        ),
        ("Vote for us!", None),
    ],
)
def test_video_imprint_splits_into_the_post_fields(text: str, expected: Imprint | None) -> None:
    """The post text's imprint is filled from the video's; formatting it again gives the same
    promoter, behalf and address."""
    parsed = imprint_from_text(text)
    assert parsed == expected
    if parsed is not None:
        assert imprint_from_text(format_imprint(parsed)) == parsed


def test_compose_post_includes_link_and_imprint() -> None:
    copy = PostCopy("Save it", "Sign today.", "Two minutes", Imprint("Jo", "", "1 High St"))
    assert (
        compose_post(copy) == "Sign today.\n\nSave it\n\nTwo minutes\n\nPromoted by Jo, 1 High St"
    )
    assert compose_post(copy, link=" northward.example.org ") == (
        "Sign today.\n\nSave it\n\nTwo minutes\n\nnorthward.example.org\n\nPromoted by Jo, 1 High St"
    )


def _clip(tmp_path: Path) -> Path:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"not really a video, identity is all that matters here")
    return clip


def test_project_round_trip(tmp_path: Path) -> None:
    project = new_project(_clip(tmp_path)).with_changes(
        preset="reels",
        segments=(Segment(1.0, 4.5), Segment(6.0, 9.25)),
        captions=(Caption(1.0, 2.5, ("Hello", "world")), Caption(3.0, 4.0, ("Vote",))),
        fixes=frozenset({"brighten", "stabilise"}),
        caption_mode="burn",
        portrait="crop",
        output_dir="/tmp/out",
        post_copy=PostCopy("H", "B", "L", Imprint("P", "Q", "A")),
    )
    assert project_from_dict(json.loads(json.dumps(project_to_dict(project)))) == project
    file = tmp_path / "p" / "x.json"
    save_project(project, file)
    assert load_project(file) == project
    assert list(file.parent.iterdir()) == [file]  # no temp file left behind


def test_project_save_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = new_project(_clip(tmp_path))
    file = tmp_path / "x.json"
    save_project(project, file)

    def crash(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", crash)
    with pytest.raises(BadInputError, match="could not save x.json"):
        save_project(project.with_changes(preset="square"), file)
    assert load_project(file) == project  # the old file is intact
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp, no lock


def test_restore_same_clip_only(tmp_path: Path) -> None:
    clip = _clip(tmp_path)
    root = tmp_path / "projects"
    project, restored = restore_or_new(clip, root)
    assert not restored and project.segments == ()
    save_project(project.with_changes(segments=(Segment(0.5, 2.0),)), project_file_for(clip, root))
    again, restored = restore_or_new(clip, root)
    assert restored and again.segments == (Segment(0.5, 2.0),)
    clip.write_bytes(b"a different take with other content")  # new size and mtime: a new clip
    fresh, restored = restore_or_new(clip, root)
    assert not restored and fresh.segments == ()


def test_damaged_project_is_set_aside(tmp_path: Path) -> None:
    clip = _clip(tmp_path)
    root = tmp_path / "projects"
    file = project_file_for(clip, root)
    file.parent.mkdir(parents=True)
    file.write_text("{ half a json")
    project, restored = restore_or_new(clip, root)
    assert not restored and isinstance(project, Project)
    assert file.with_suffix(".damaged").exists() and not file.exists()
    with pytest.raises(BadInputError):
        project_from_dict({"version": 999})
