"""Test clips for the GUI tests: short, small, with espeak-ng speech (fast to check and export)."""

from __future__ import annotations

from pathlib import Path

from media import MediaFactory, run_ffmpeg

# Two sentences: enough for a few captions and a sentence-aware trim, short enough to export fast.
GUI_SENTENCES = (
    "Please vote for Maria Lopez on Thursday.",
    "We will keep the library open for every family.",
)
# Silence before the first sentence and between sentences, seconds.
LEAD_S = 0.5
GAP_S = 1.0


def gui_speech_clip(media: MediaFactory) -> Path:
    """640x360 test picture, 0.5 s silence, two espeak sentences 1 s apart (about 7 s)."""
    wavs = [media.speech(sentence) for sentence in GUI_SENTENCES]

    def build(tmp: Path) -> None:
        inputs: list[str] = []
        parts: list[str] = []
        for index, wav in enumerate(wavs):
            inputs += ["-i", str(wav)]
            parts.append(f"[{index}:a]apad=pad_dur={GAP_S}[s{index}]")
        concat = "".join(f"[s{i}]" for i in range(len(wavs)))
        graph = ";".join(
            [
                f"anullsrc=r=48000:cl=mono:d={LEAD_S}[lead]",
                *parts,
                f"[lead]{concat}concat=n={len(wavs) + 1}:v=0:a=1[a]",
            ]
        )
        audio = tmp.with_name(tmp.stem + ".audio.wav")
        run_ffmpeg([*inputs, "-filter_complex", graph, "-map", "[a]", str(audio)])
        run_ffmpeg([
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-i", str(audio),
            "-shortest", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k", str(tmp),
        ])  # fmt: skip
        audio.unlink()

    return media.built("guispeech", "|".join(w.name for w in wavs) + f"|{LEAD_S}|{GAP_S}", build)
