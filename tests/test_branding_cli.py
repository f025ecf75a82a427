"""The command line's branding: the imprint rule, the saved kit, `check --imprint`, `brand-kit`."""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
import pytest
from test_branding import PRIMARY, full_kit, logo_png, rgb

from clipstudio.cli import main
from clipstudio.core.branding.imprint import IMPRINT_EXAMPLE
from clipstudio.core.branding.kit import load_brand_kit, save_brand_kit, saved_brand_kit_path
from clipstudio.core.media.probe import probe


@pytest.fixture
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A settings folder of this test's own: a kit saved here must not reach other tests."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config"


def errors(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def last_frame(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        frames = [f for f in container.decode(video=0)]
    return frames[-1].to_ndarray(format="rgb24").astype(float)


def test_export_without_an_imprint_stops_and_says_what_to_pass(
    media, tmp_path, own_settings, capsys
) -> None:
    out = tmp_path / "out.mp4"
    code = main(["export", str(media.no_audio()), "-o", str(out), "--captions", "none",
                 "--lower-third", "Sam Smith", "--quiet"])  # fmt: skip
    assert code == 2
    (line,) = errors(capsys)
    assert line.startswith("error: this clip has no digital imprint")
    assert "--imprint" in line and "--no-imprint" in line and IMPRINT_EXAMPLE in line
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".mp4" or ".part" in p.name]


def test_imprint_and_no_imprint_together_is_a_usage_error(media, tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["export", str(media.no_audio()), "-o", str(tmp_path / "o.mp4"),
              "--imprint", "Promoted by me", "--no-imprint"])  # fmt: skip
    assert stopped.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_export_help_lists_every_branding_flag(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    text = capsys.readouterr().out
    for flag in ("--brand-kit", "--lower-third", "--call-to-action", "--imprint",
                 "--no-imprint", "--logo", "--end-card-seconds", "--link"):  # fmt: skip
        assert flag in text


def test_saved_kit_is_used_by_default(media, tmp_path, own_settings, capsys) -> None:
    save_brand_kit(full_kit(logo_png=None), saved_brand_kit_path())
    out = tmp_path / "kit.mp4"
    code = main(["export", str(media.no_audio()), "-o", str(out), "--captions", "none",
                 "--end-card-seconds", "2", "--quiet"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert probe(out).duration == pytest.approx(3.0 + 2.0, abs=0.05)  # clip + the kit's card
    frame = last_frame(out)
    assert (np.abs(frame - rgb(PRIMARY)).max(axis=2) < 14).mean() > 0.8


def test_flags_override_the_kit_and_no_imprint_drops_its_imprint(
    media, tmp_path, own_settings, capsys
) -> None:
    kit_file = tmp_path / "party kit.json"
    save_brand_kit(full_kit(logo_png=None, call_to_action="", link=""), kit_file)
    logo = tmp_path / "logo.png"
    logo.write_bytes(logo_png())
    out = tmp_path / "plain.mp4"
    # --no-imprint with a kit that has nothing else for the card: no card at all.
    code = main(["export", str(media.no_audio()), "-o", str(out), "--captions", "none",
                 "--brand-kit", str(kit_file), "--no-imprint", "--logo", str(logo),
                 "--quiet"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert probe(out).duration == pytest.approx(3.0, abs=0.05)
    frame = last_frame(out)
    assert (np.abs(frame - np.array([0, 68, 255])).max(axis=2) < 25).sum() > 50  # the logo


def test_bad_kit_or_logo_is_one_error_line(media, tmp_path, own_settings, capsys) -> None:
    broken = tmp_path / "kit.json"
    broken.write_text("{broken", encoding="utf-8")
    args = ["export", str(media.no_audio()), "-o", str(tmp_path / "o.mp4"), "--no-imprint"]
    assert main([*args, "--brand-kit", str(broken)]) == 2
    (line,) = errors(capsys)
    assert "not valid json" in line.lower()
    assert main([*args, "--logo", str(broken)]) == 2
    (line,) = errors(capsys)
    assert "png, jpeg, webp or svg" in line.lower()
    saved_brand_kit_path().parent.mkdir(parents=True)
    saved_brand_kit_path().write_text("{broken", encoding="utf-8")
    assert main(args) == 2
    (line,) = errors(capsys)
    assert "in your saved kit" in line and "brand-kit save" in line


def findings(capsys: pytest.CaptureFixture[str]) -> set[str]:
    return {finding["id"] for finding in json.loads(capsys.readouterr().out)["findings"]}


def test_check_reports_the_missing_imprint(media, own_settings, capsys) -> None:
    clip = str(media.mono())
    assert main(["check", clip, "--json", "--imprint", ""]) == 0
    assert "publish.no_imprint" in findings(capsys)
    assert main(["check", clip, "--json", "--imprint", IMPRINT_EXAMPLE]) == 0
    assert not any(f.startswith("publish.") for f in findings(capsys))
    assert main(["check", clip, "--json"]) == 0  # no kit saved: no imprint
    assert "publish.no_imprint" in findings(capsys)
    save_brand_kit(full_kit(), saved_brand_kit_path())
    assert main(["check", clip, "--json"]) == 0  # the saved kit's imprint counts
    assert "publish.no_imprint" not in findings(capsys)


def test_brand_kit_commands_make_install_show_and_share(tmp_path, own_settings, capsys) -> None:
    made = tmp_path / "north.json"
    logo = tmp_path / "logo.png"
    logo.write_bytes(logo_png())
    assert main(["brand-kit", "make", str(made), "--name", "North Ward", "--primary-colour",
                 PRIMARY, "--logo", str(logo), "--imprint", IMPRINT_EXAMPLE,
                 "--font", "DejaVu Serif Bold"]) == 0  # fmt: skip
    assert main(["brand-kit", "show"]) == 2  # nothing installed yet
    assert "no brand kit saved yet" in capsys.readouterr().err
    assert main(["brand-kit", "save", str(made)]) == 0
    assert load_brand_kit(saved_brand_kit_path()) == load_brand_kit(made)
    capsys.readouterr()
    assert main(["brand-kit", "show"]) == 0
    shown = capsys.readouterr().out
    assert "North Ward" in shown and PRIMARY in shown and IMPRINT_EXAMPLE in shown
    assert "logo: 200x100 PNG, top-right" in shown
    shared = tmp_path / "shared.json"
    assert main(["brand-kit", "export", str(shared)]) == 0
    assert load_brand_kit(shared) == load_brand_kit(made)
    assert main(["brand-kit", "export", str(shared)]) == 2  # never overwritten unasked
    assert main(["brand-kit", "make", str(tmp_path / "bad.json"), "--primary-colour", "red"]) == 2
    assert "#RRGGBB" in capsys.readouterr().err
