"""Editing through the real export: mistakes cut from the speech, takes of several clips joined
in sync, music ducked under the speech, photos and clips over it."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from media import MediaFactory
from media_disfluency import FILLER_PARTS, mistakes_clip
from media_music import WINDOW_S, ducking, music_file, music_levels
from media_speech import SENTENCES, phrase_clip
from media_sync import beep_onsets, flashing, white_frames

from clipstudio.cli import main
from clipstudio.core.edit.plan import CaptionTrack, EditPlan, Take
from clipstudio.core.export import ffmpeg
from clipstudio.core.export.render import ExportJob, export_clip
from clipstudio.core.media.probe import probe
from clipstudio.core.speech.disfluency import is_filler
from clipstudio.core.speech.subtitles import read_subtitles
from clipstudio.core.vocabulary import CaptionMode, Trim


def test_remove_fillers_cuts_them_from_picture_sound_and_captions(
    media: MediaFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = mistakes_clip(media, FILLER_PARTS)
    out = tmp_path / "clean.mp4"
    code = main(["export", str(clip.path), "-o", str(out), "--remove-fillers", "--captions",
                 "srt", "--no-imprint", "--quiet"])  # fmt: skip
    assert code == 0
    said = capsys.readouterr().err
    assert 'cut "um" and "er": 6 cut' in said
    words = [w for c in read_subtitles(out.with_name("clean.en_GB.srt")) for w in c.tokens]
    assert words and not [w for w in words if is_filler(w)]
    assert "Thursday." in words and "listening." in words
    # Six fillers of 0.2-0.3 s and a pause each: the video is shorter by at least their voice.
    fillers_voice = sum(
        off - on
        for (_, _, mistake), on, off in zip(FILLER_PARTS, clip.onsets, clip.offsets, strict=True)
        if mistake
    )
    assert probe(out).duration < clip.duration - fillers_voice


def test_takes_of_several_clips_join_frame_accurate_and_in_sync(
    media: MediaFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five takes of three clips (two sizes, 30 and 25 fps, 16:9 and 4:3), one clip cut twice:
    every flash lands on the frame the takes' lengths put it on, every beep within 3 ms of
    its flash's time, across every join."""
    small, large = flashing(media, "640x360", 30, 0.5), flashing(media, "1280x720", 30, 0.3)
    old = flashing(media, "640x480", 25, 0.52)
    takes = [(small, 0.2, 1.8), (large, 1.1, 2.4), (small, 2.1, 2.9), (small, 3.2, 4.6),
             (old, 0.9, 2.0)]  # fmt: skip
    commands: list[list[str]] = []
    original = ffmpeg.render_command
    monkeypatch.setattr(ffmpeg, "render_command", lambda spec: commands.append(original(spec))
                        or commands[-1])  # fmt: skip
    out = tmp_path / "joined.mp4"
    plan = EditPlan(
        takes=tuple(Take(str(path), start, end, ()) for path, start, end in takes),
        trim=Trim.EXACT,
        captions=CaptionTrack(mode=CaptionMode.NONE),
    )
    result = export_clip(plan, ExportJob(output=out))
    assert result.validation.ok and (result.width, result.height) == (1280, 720)
    (command,) = commands  # one render pass
    assert command.count("-i") == 4  # the two takes of `small` in a row share one input
    # Where each flash must land: its take's first frame on the timeline (the frame counts of
    # the takes before it, at the output's own rate) plus its place in the take.
    rate = Fraction(probe(out).video.real_frame_rate).limit_denominator(1001)
    flashes = {small: (0.5, 1.5, 2.5, 3.5, 4.5), large: (0.3, 1.3, 2.3), old: (1.52,)}
    expected_frames, expected_beeps, first = [], [], 0
    for path, start, end in takes:
        start = float(round(start * rate) / rate)  # on the output's frame grid
        for at in flashes[path]:
            if start <= at < end:
                expected_frames.append(first + round((at - start) * rate))
                expected_beeps.append(first / rate + at - start)
        first += round((end - start) * rate)
    assert white_frames(out) == expected_frames
    assert beep_onsets(out) == pytest.approx(expected_beeps, abs=0.003)
    assert probe(out).duration == pytest.approx(first / rate, abs=0.03)


def test_export_joins_the_clips_given_in_order_and_refuses_a_range_for_several(
    media: MediaFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = flashing(media, "640x360", 30, 0.5), flashing(media, "1280x720", 30, 0.3)
    out = tmp_path / "two.mp4"
    code = main(["export", str(first), str(second), "-o", str(out), "--captions", "none",
                 "--no-imprint", "--quiet"])  # fmt: skip
    assert code == 0
    assert probe(out).duration == pytest.approx(probe(first).duration + probe(second).duration,
                                                abs=0.05)  # fmt: skip
    assert white_frames(out)[:2] == [15, 45]  # the first clip first
    capsys.readouterr()
    code = main(["export", str(first), str(second), "-o", str(tmp_path / "x.mp4"), "--start",
                 "1", "--no-imprint"])  # fmt: skip
    assert code == 2
    assert capsys.readouterr().err.strip() == "error: --start goes with a single clip, not 2"


def test_music_ducks_under_the_speech_without_pumping_and_fades_under_the_end_card(
    media: MediaFactory, tmp_path: Path
) -> None:
    """The music's level read from the exported mix in 100 ms windows (its tones sit above
    anything espeak-ng says): at least 10 dB lower under the sentences than in the pauses,
    never more than 3 dB up between the words of a sentence, looped past its 4 s, gone by the
    end of the end card; the loudness rules still hold (validation) and the rights note is said."""
    from clipstudio.core.branding.imprint import IMPRINT_EXAMPLE
    from clipstudio.core.branding.kit import Branding, BrandKit
    from clipstudio.core.edit.plan import Music
    from clipstudio.core.export.music import RIGHTS_NOTE

    clip = phrase_clip(media, SENTENCES, gap=1.5)
    card = 3.0
    plan = EditPlan(
        takes=(Take(str(clip.path), 0.0, clip.duration, ()),),
        trim=Trim.EXACT,
        captions=CaptionTrack(mode=CaptionMode.NONE),
        branding=Branding.from_kit(BrandKit(imprint=IMPRINT_EXAMPLE), end_card_seconds=card),
        music=Music(str(music_file(media))),
    )
    said: list[str] = []
    result = export_clip(plan, ExportJob(output=tmp_path / "music.mp4"), log=said.append)
    assert result.validation.ok, result.validation.failures
    assert RIGHTS_NOTE in said
    levels = music_levels(result.output)
    main = result.plan.kept_duration
    sentences = list(zip(clip.onsets, clip.offsets, strict=True))
    measured = ducking(levels[: int(main / WINDOW_S)], sentences, main)
    assert measured.depth_db >= 10, measured
    assert measured.pumping_db <= 3, measured
    pause = np.median(levels[int(9.0 / WINDOW_S) : int(9.8 / WINDOW_S)])  # after sentence 2
    assert pause > np.median(levels[: int(0.3 / WINDOW_S)]) - 1  # still playing: looped
    card_start = levels[int(main / WINDOW_S) + 2]
    assert levels[-2] < card_start - 20  # faded out under the card


@pytest.mark.parametrize("source", ["no_audio", "landscape_1080p"])
def test_music_over_a_clip_without_speech_is_the_sound_validation_measures(
    media: MediaFactory, tmp_path: Path, source: str
) -> None:
    """A silent B-roll clip and one with a steady tone: the music is what the loudness rule
    measures there, and the file keeps the promise."""
    from clipstudio.core.edit.plan import Music

    clip = getattr(media, source)()
    plan = EditPlan(takes=(Take(str(clip), 0.0, 3.0, ()),), trim=Trim.EXACT,
                    captions=CaptionTrack(mode=CaptionMode.NONE),
                    music=Music(str(music_file(media)), -10.0))  # fmt: skip
    result = export_clip(plan, ExportJob(output=tmp_path / "broll.mp4"))
    assert result.validation.ok, result.validation.failures
    assert result.validation.loudness is not None and not result.validation.loudness.speech
    assert np.median(music_levels(result.output)[10:20]) > -60  # the music is there


def test_music_level_outside_its_range_is_refused_in_plain_words(
    media: MediaFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["export", str(media.no_audio()), "-o", str(tmp_path / "x.mp4"), "--music",
                 str(music_file(media)), "--music-level", "6", "--no-imprint"])  # fmt: skip
    assert code == 2
    assert "music level must be -40 to 0 dB" in capsys.readouterr().err


def _photo(path: Path, size: tuple[int, int], exif_turn: bool = False) -> Path:
    """A magenta photo with a black upright line at 80 % of its width (to follow the zoom);
    with `exif_turn` it is stored sideways with the EXIF tag that turns it back, as phones do."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (220, 20, 200))
    x = int(size[0] * 0.8)
    ImageDraw.Draw(image).rectangle([x - 2, 0, x + 2, size[1]], fill="black")
    if exif_turn:
        exif = Image.Exif()
        exif[0x0112] = 6  # orientation: turn 90 degrees clockwise to view
        image.transpose(Image.Transpose.ROTATE_90).save(path, exif=exif, quality=95)
    else:
        image.save(path, quality=95)
    return path


def test_cutaways_show_over_the_speech_with_captions_and_lower_third_on_top(
    media: MediaFactory, tmp_path: Path
) -> None:
    """A photo (stored sideways, EXIF-turned) over 1-3 s and a clip over 4-5 s of a speech
    clip: the picture changes at those times and back after them, the photo zooms smoothly
    (its line followed to a tenth of a pixel), the burned caption and the lower third are
    drawn over the photo, and the sound and its loudness are the speech's."""
    from media import frame_at
    from test_branding_export import box, png_rgb

    from clipstudio.core.branding.imprint import IMPRINT_EXAMPLE
    from clipstudio.core.branding.kit import Branding, BrandKit
    from clipstudio.core.branding.layers import render_layers
    from clipstudio.core.edit.plan import Cutaway
    from clipstudio.core.export.presets import PRESETS
    from clipstudio.core.speech.types import Caption

    clip = phrase_clip(media, ["Save our library.", "Vote on Thursday."], gap=1.0)
    photo = _photo(tmp_path / "library.jpg", (960, 640), exif_turn=True)
    green = media.ffmpeg_clip("green", ["-f", "lavfi", "-i", "color=0x20c040:size=1280x720:rate=25",
                                        "-t", "3", "-c:v", "libx264", "-pix_fmt", "yuv420p"])  # fmt: skip
    branding = Branding.from_kit(BrandKit(imprint=IMPRINT_EXAMPLE), lower_third="Sam Smith",
                                 end_card_seconds=2.0)  # fmt: skip
    caption = Caption(0.5, clip.duration - 0.5, ("Save our library",))
    plan = EditPlan(
        takes=(Take(str(clip.path), 0.0, clip.duration, (caption,)),),
        trim=Trim.EXACT,
        captions=CaptionTrack(mode=CaptionMode.BURN),
        branding=branding,
        cutaways=(Cutaway(str(photo), 1.0, 3.0), Cutaway(str(green), 4.0, 5.0)),
    )
    result = export_clip(plan, ExportJob(output=tmp_path / "cutaways.mp4"))
    assert result.validation.ok, result.validation.failures
    out = result.output

    def top_colour(t: float) -> np.ndarray:  # above the captions and the lower third
        return frame_at(out, t)[20:100, 40:400].reshape(-1, 3).mean(axis=0)

    magenta, green_rgb = np.array([220, 20, 200]), np.array([0x20, 0xC0, 0x40])
    assert np.abs(top_colour(2.0) - magenta).max() < 20
    # (lavfi's colour is converted with swscale's BT.601 default and read back as BT.709.)
    assert np.abs(top_colour(4.5) - green_rgb).max() < 30
    for t in (0.5, 3.4, 5.4):  # the speaker's own picture before, between and after
        assert (
            np.abs(top_colour(t) - magenta).max() > 60
            and np.abs(top_colour(t) - green_rgb).max() > 60
        )
    during = frame_at(out, 2.0)
    # The caption's white letters over the photo (the photo has no white in it).
    assert (during[int(0.6 * 360) :].min(axis=2) > 230).sum() > 200
    layers = render_layers(branding, 640, 360, PRESETS["feed"], result.plan.kept_duration)
    assert layers.lower_third is not None
    assert layers.lower_third.start <= 2.0 <= layers.lower_third.end
    art = png_rgb(layers.lower_third.png)
    assert np.abs(box(during, layers.lower_third.rect) - art).mean() < 15
    # The photo's line, followed frame by frame: a smooth outward path (the zoom), no steps.
    xs = []
    with av.open(str(out)) as container:
        for index, frame in enumerate(container.decode(container.streams.video[0])):
            if 33 <= index < 87:
                # Red: 220 in the magenta, 0 on the line.
                red = frame.to_ndarray(format="rgb24")[30:90, 400:640, 0].astype(float)
                row = 255 - red.mean(axis=0)
                row[row < 60] = 0
                xs.append(400 + (row * np.arange(row.size)).sum() / row.sum())
    xs = np.array(xs)
    smooth = np.polyval(np.polyfit(np.arange(xs.size), xs, 2), np.arange(xs.size))
    assert xs[-1] - xs[0] > 1.5  # it moves outwards as the photo grows
    assert np.sqrt(np.mean((xs - smooth) ** 2)) < 0.2


def test_a_cutaway_past_the_takes_or_over_another_is_refused(
    media: MediaFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = _photo(tmp_path / "p.png", (320, 180))
    clip = str(media.no_audio())  # 3 s
    base = ["export", clip, "-o", str(tmp_path / "x.mp4"), "--no-imprint", "--captions", "none"]
    assert main([*base, "--cutaway", f"{photo}@2-4"]) == 2
    assert "runs past the end of the video's takes (3.0 s" in capsys.readouterr().err
    assert main([*base, "--cutaway", f"{photo}@0.5-2", "--cutaway", f"{photo}@1.5-2.5"]) == 2
    assert "overlap" in capsys.readouterr().err
    assert main([*base, "--cutaway", f"{photo}@2"]) == 2
    assert "FILE@START-END" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [photo]
