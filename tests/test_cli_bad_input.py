"""Bad input gets one plain `error:` line, exit status 2, and no output file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clipstudio.core.export import ffmpeg
from clipstudio.core.media.probe import probe

NASTY_NAME = 'Jo\'s clip: [take 2] "final" ñandú, été'


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clipstudio.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_bad_input(result: subprocess.CompletedProcess[str], out: Path, words: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert words in lines[0].lower()
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert not [p for p in out.parent.iterdir() if ".part" in p.name]


def truncated_copy(source: Path, target: Path) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d, m: d / "missing.mp4", "not found"),
        (lambda d, m: (d / "empty.mp4", (d / "empty.mp4").write_bytes(b""))[0], "empty"),
        (
            lambda d, m: (d / "noise.mp4", (d / "noise.mp4").write_bytes(os.urandom(50_000)))[0],
            "not a video",
        ),
        (
            lambda d, m: (d / "notes.txt", (d / "notes.txt").write_text("hello\n" * 500))[0],
            "not a video",
        ),
        (lambda d, m: truncated_copy(m.mono(), d / "cut.mp4"), "damaged"),
        (lambda d, m: m.audio_only(), "needs a video"),
        (lambda d, m: d, "folder"),
    ],
    ids=["missing", "empty", "random-bytes", "text-file", "truncated", "audio-only", "folder"],
)
def test_export_bad_input(tmp_path, media, make, words):
    source = make(tmp_path, media)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "clip.mp4"
    assert_bad_input(
        run_cli("export", source, "-o", out, "--captions", "none", "--no-imprint"), out, words
    )


def test_truncated_faststart_file_is_damaged(tmp_path, media):
    faststart = tmp_path / "fs.mp4"
    from media import run_ffmpeg

    run_ffmpeg(["-i", str(media.mono()), "-c", "copy", "-movflags", "+faststart", str(faststart)])
    cut = truncated_copy(faststart, tmp_path / "cut.mp4")
    out = tmp_path / "out" / "clip.mp4"
    out.parent.mkdir()
    assert_bad_input(
        run_cli("export", cut, "-o", out, "--captions", "none", "--no-imprint"), out, "damaged"
    )


def test_check_and_probe_reject_bad_input_the_same_way(tmp_path):
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(os.urandom(10_000))
    for command in ("probe", "check"):
        result = run_cli(command, junk)
        assert result.returncode == 2 and result.stderr.startswith("error: ")


def test_refuses_existing_output_without_overwrite(tmp_path, media):
    out = tmp_path / "exists.mp4"
    out.write_bytes(b"precious")
    result = run_cli("export", media.mono(), "-o", out, "--captions", "none", "--no-imprint")
    assert result.returncode == 2 and "--overwrite" in result.stderr
    assert out.read_bytes() == b"precious"


def test_refuses_to_write_over_the_source(tmp_path, media):
    source = tmp_path / "source.mp4"
    source.write_bytes(media.mono().read_bytes())
    before = source.read_bytes()
    result = run_cli(
        "export", source, "-o", source, "--overwrite", "--captions", "none", "--no-imprint"
    )
    assert result.returncode == 2 and "source" in result.stderr
    assert source.read_bytes() == before


def test_video_only_and_nasty_paths_export(tmp_path, media):
    folder = tmp_path / NASTY_NAME
    folder.mkdir()
    source = folder / f"{NASTY_NAME}.mp4"
    source.write_bytes(media.no_audio().read_bytes())
    before = source.read_bytes()
    out = folder / f"out {NASTY_NAME}.mp4"
    result = run_cli("export", source, "-o", out, "--captions", "none", "--quiet", "--no-imprint")
    assert result.returncode == 0, result.stderr
    assert probe(out).audio is not None
    assert source.read_bytes() == before  # the source is never touched


def test_internal_failure_exits_1_with_ffmpeg_words(tmp_path, media, monkeypatch, capsys):
    """A broken ffmpeg (here: a filter that does not exist) is our fault: exit 1, stderr tail."""
    monkeypatch.setattr(ffmpeg, "DEFLICKER_FRAMES", -5)
    from clipstudio.cli import main

    out = tmp_path / "x.mp4"
    code = main(["export", str(media.mono()), "-o", str(out), "--captions", "none",
                 "--deflicker", "--quiet", "--no-imprint"])  # fmt: skip
    assert code == 1
    stderr = capsys.readouterr().err
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert errors and errors[0].startswith("error: internal failure: export failed")
    assert "deflicker" in stderr.lower()  # ffmpeg's own complaint is quoted
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_subtitle_paths_are_escaped_for_the_filter_graph():
    """Windows drive letters, quotes, colons, brackets and commas survive both escaping levels
    of an ffmpeg filter graph (option value, then graph)."""
    import ffmpeg as graph

    for path in (
        r"C:\Users\Zoë\My Clips\it's [1], final;.ass",
        "/tmp/a:b/c'd/[e]=f,g.ass",
    ):
        stream = graph.input("in.mp4").video.filter("subtitles", filename=path)
        args = graph.compile(graph.output(stream, "out.mp4"))
        filter_text = args[args.index("-filter_complex") + 1]
        assert filter_text.startswith("[0:v]subtitles=filename=")
        assert (
            _unescape_graph_then_option(filter_text.split("filename=", 1)[1].rsplit("[", 1)[0])
            == path
        )


def _unescape_graph_then_option(text: str) -> str:
    """What ffmpeg does: the graph parser removes one level of backslashes, the option parser
    the next (av_get_token semantics, without quotes)."""

    def unescape(value: str) -> str:
        out, i = [], 0
        while i < len(value):
            if value[i] == "\\" and i + 1 < len(value):
                out.append(value[i + 1])
                i += 2
            else:
                out.append(value[i])
                i += 1
        return "".join(out)

    return unescape(unescape(text))
