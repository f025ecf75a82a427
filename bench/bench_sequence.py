"""A three-take export with music and two photo cutaways against a hand-written ffmpeg command
doing the same (issue 14's bar: at most 1.2x).

The hand-written command is what a video engineer would type having measured the loudness
themselves: trim/concat of the three takes (each its own seeked input, so only kept footage
is decoded), the speech gain the export chose, the music looped
at the gain the export chose and mixed with amix, two photos overlaid with the same slow zoom
(perspective) for their spans, and the export's encoder settings. What it leaves out is what
the export does on top: the loudness and speech pass, the music's measurement, the speech
ducking, the 30 ms crossfades at the joins and the validation of the file.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

from bench.bench_export import against_hand
from bench.clip import BENCH_DIR, FFMPEG

# The takes (source seconds of the bench clip) and the photos' spans (output seconds).
TAKES = ((2.0, 16.0), (20.0, 34.0), (40.0, 54.0))
PHOTOS = ((5.0, 9.0), (24.0, 29.0))
MUSIC_S = 20.0  # shorter than the video: it is looped
# The export's zoom (core export/cutaways.py), copied so the hand command is the same work.
ZOOM_PER_S, MAX_ZOOM = 0.02, 0.12


def _inputs() -> tuple[Path, list[Path]]:
    """A 20 s music file (a chord, MP3) and two 1920x1080 photos, made once."""
    import subprocess

    from PIL import Image, ImageDraw

    BENCH_DIR.mkdir(exist_ok=True)
    music = BENCH_DIR / "sequence-music.mp3"
    if not music.exists():
        chord = "+".join(f"0.15*sin(2*PI*{hz}*t)" for hz in (220, 277.18, 329.63))
        subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        f"aevalsrc='{chord}':s=44100:d={MUSIC_S}", "-ac", "2",
                        "-c:a", "libmp3lame", "-b:a", "192k", str(music)], check=True)  # fmt: skip
    photos = []
    for index, colour in enumerate(((40, 90, 160), (170, 60, 40))):
        path = BENCH_DIR / f"sequence-photo-{index}.jpg"
        if not path.exists():
            photo = Image.new("RGB", (1920, 1080), colour)
            draw = ImageDraw.Draw(photo)
            for x in range(0, 1920, 120):
                draw.line((x, 0, x + 400, 1080), fill=(240, 240, 240), width=6)
            photo.save(path, quality=92)
        photos.append(path)
    return music, photos


def child(clip: str) -> None:
    """The export in its own process, so its CPU time is its own."""
    from clipstudio.core.edit.plan import CaptionTrack, Cutaway, EditPlan, Music, Take
    from clipstudio.core.export.render import ExportJob, export_clip
    from clipstudio.core.vocabulary import CaptionMode

    music, photos = _inputs()
    plan = EditPlan(
        takes=tuple(Take(clip, start, end) for start, end in TAKES),
        captions=CaptionTrack(mode=CaptionMode.NONE),
        music=Music(str(music)),
        cutaways=tuple(Cutaway(str(p), a, b) for p, (a, b) in zip(photos, PHOTOS, strict=True)),
    )
    started = time.perf_counter()
    result = export_clip(plan, ExportJob(output=BENCH_DIR / "sequence.mp4", overwrite=True))
    elapsed = time.perf_counter() - started
    loudness = result.validation.loudness
    assert loudness is not None
    music_gain = next(
        float(m.group(1)) for line in result.log if (m := re.search(r"\(([-+][\d.]+) dB\)", line))
    )
    print(json.dumps({"export_s": elapsed, "duration": result.duration,
                      "speech_gain_db": loudness.gain_db, "music_gain_db": music_gain,
                      "limit": 10 ** (loudness.limiter_ceiling_dbfs / 20),
                      "ok": result.validation.ok}))  # fmt: skip


def _zoom(frames: int, seconds: float) -> str:
    zoom = min(MAX_ZOOM, ZOOM_PER_S * seconds)
    grow = f"(1+{zoom:.5f}*in/{max(1, frames - 1)})"
    left, right, top, bottom = (f"W/2-W/2/{grow}", f"W/2+W/2/{grow}", f"H/2-H/2/{grow}",
                                f"H/2+H/2/{grow}")  # fmt: skip
    return (f"perspective=x0={left}:y0={top}:x1={right}:y1={top}:x2={left}:y2={bottom}:"
            f"x3={right}:y3={bottom}:interpolation=linear:eval=frame")  # fmt: skip


def hand_written_command(clip: Path, out: Path, measured: dict[str, float]) -> list[str]:
    from clipstudio.core.export import presets as rules

    music, photos = _inputs()
    fps = 30
    # Each take its own input, seeked to (so only the kept footage is decoded), trimmed to
    # its exact length: the quickest cut an engineer would write.
    parts = []
    photo_at = len(TAKES)
    for i, (start, end) in enumerate(TAKES):
        parts.append(f"[{i}:v]trim=duration={end - start},setpts=PTS-STARTPTS[tv{i}]")
        parts.append(f"[{i}:a]atrim=duration={end - start},asetpts=PTS-STARTPTS[ta{i}]")
    joined = "".join(f"[tv{i}][ta{i}]" for i in range(len(TAKES)))
    parts.append(f"{joined}concat=n={len(TAKES)}:v=1:a=1[vj][aj]")
    video = "vj"
    for i, (start, end) in enumerate(PHOTOS):
        frames = round((end - start) * fps)
        parts.append(
            f"[{photo_at + i}:v]format={rules.PIX_FMT},loop={frames - 1}:1:0,setpts=N/({fps}*TB),"
            f"{_zoom(frames, end - start)},setpts=PTS+{start}/TB[p{i}]"
        )
        parts.append(f"[{video}][p{i}]overlay=eof_action=pass:"
                     f"enable='between(t,{start},{end})'[o{i}]")  # fmt: skip
        video = f"o{i}"
    total = sum(end - start for start, end in TAKES)
    parts.append(
        f"[aj]pan=stereo|c0=c0|c1=c0,volume={measured['speech_gain_db']:.2f}dB[sp];"
        f"[{photo_at + len(PHOTOS)}:a]aformat=sample_rates=48000:channel_layouts=stereo,"
        f"volume={measured['music_gain_db']:.2f}dB,afade=t=out:st={total - 2}:d=2[mu];"
        f"[sp][mu]amix=inputs=2:normalize=0:duration=first,"
        f"alimiter=limit={measured['limit']:.4f}:level=0:latency=1[a]"
    )
    takes = [arg for start, end in TAKES
             for arg in ("-ss", f"{start}", "-t", f"{end - start + 0.5}", "-i", str(clip))]  # fmt: skip
    return [
        FFMPEG, "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
        *takes,
        "-framerate", str(fps), "-i", str(photos[0]),
        "-framerate", str(fps), "-i", str(photos[1]),
        "-stream_loop", "-1", "-t", f"{total}", "-i", str(music),
        "-filter_complex", ";".join(parts),
        "-map", f"[{video}]", "-map", "[a]", "-t", f"{total}",
        "-c:v", "libx264", "-profile:v", "high", "-preset", rules.X264_PRESET,
        "-crf", str(rules.X264_CRF), "-pix_fmt", rules.PIX_FMT,
        "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709",
        "-c:a", "aac", "-b:a", rules.AUDIO_BITRATE, "-ar", str(rules.AUDIO_RATE), "-ac", "2",
        "-movflags", "+faststart", str(out),
    ]  # fmt: skip


def run(clip: Path) -> dict[str, float | str]:
    hand = BENCH_DIR / "sequence-hand.mp4"
    ours, timings = against_hand(
        "bench.bench_sequence", clip, lambda o: hand_written_command(clip, hand, o)
    )
    return {**timings, "output_duration_s": ours["duration"], "validated": str(ours["ok"])}

if __name__ == "__main__":
    child(sys.argv[1])
