"""Labelled clips for the footage checks: one good control and one clip per defect.

Pictures are drawn frame by frame with numpy/OpenCV and piped to ffmpeg: a textured "room", a
drawn face that OpenCV's Haar cascade finds (measured: detected at 40-200 px), camera motion
(still, hand-held shake, a smooth pan) and lighting (dark stretch, blown out, window behind the
speaker, flicker). Sound is espeak-ng speech at a set EBU R128 loudness, with noise added at a
known speech-to-noise ratio, low-passed brown-noise gusts for wind, or hard clipping.
"""

from __future__ import annotations

import subprocess
import wave
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import cv2
import numpy as np
import pyloudnorm
from media import FFMPEG, SENTENCES, MediaFactory, run_ffmpeg
from scipy import signal

RATE = 48_000
RECIPE = "checks-1"

Camera = Literal["still", "shake", "pan"]
Lighting = Literal["normal", "dark_middle", "overexposed", "backlit", "flicker", "wander"]
Sound = Literal["speech", "quiet", "clipped", "noisy", "wind", "room_only"]


@dataclass(frozen=True)
class Scene:
    """Everything that makes one labelled clip; its repr is the cache key."""

    name: str
    seconds: float = 6.0
    width: int = 640
    height: int = 360
    fps: int = 30
    # Face: horizontal centre, eye line (fractions of the picture) and face height fraction;
    # None for no face.
    face: tuple[float, float, float] | None = (0.5, 0.36, 0.3)
    camera: Camera = "still"
    lighting: Lighting = "normal"
    sound: Sound = "speech"
    speech_lufs: float = -23.0  # arm's-length speech on a phone
    snr_db: float = 3.0  # for sound="noisy"
    flicker_hz: float = 4.0
    flicker_depth: float = 0.15
    # Store the picture turned and tagged with a display matrix, as an iPhone does.
    rotated: bool = False
    sentences: tuple[str, ...] = tuple(SENTENCES[:2])


# --- pictures -------------------------------------------------------------------------------------


def draw_face(size: int) -> tuple[np.ndarray, np.ndarray]:
    """A grey face (skin, hair, eyes, brows, nose, mouth) on a transparent-ish 0 background,
    `size` px tall; returns (picture, mask)."""
    canvas = size * 2
    picture = np.zeros((canvas, canvas), np.uint8)
    mask = np.zeros((canvas, canvas), np.uint8)
    c = (canvas // 2, canvas // 2)
    s = size / 120

    def p(dx: float, dy: float) -> tuple[int, int]:
        return (c[0] + int(dx * s), c[1] + int(dy * s))

    def r(v: float) -> int:
        return max(1, int(v * s))

    cv2.ellipse(mask, c, (r(46), r(60)), 0, 0, 360, 255, -1)
    cv2.ellipse(mask, p(0, -54), (r(48), r(27)), 0, 180, 360, 255, -1)
    cv2.ellipse(picture, c, (r(46), r(60)), 0, 0, 360, 190, -1)  # skin
    cv2.ellipse(picture, p(0, -54), (r(48), r(27)), 0, 180, 360, 40, -1)  # hair
    for dx in (-18, 18):
        cv2.ellipse(picture, p(dx, -14), (r(10), r(5)), 0, 0, 360, 50, -1)  # eye
        cv2.line(picture, p(dx - 11, -24), p(dx + 11, -25), 60, r(4))  # brow
    cv2.line(picture, p(0, -10), p(-4, 12), 150, r(2))  # nose
    cv2.ellipse(picture, p(0, 30), (r(17), r(6)), 0, 0, 360, 80, -1)  # mouth
    picture = cv2.GaussianBlur(picture, (0, 0), 1.5 * s)
    mask = cv2.GaussianBlur(mask, (0, 0), 1.5 * s)
    return picture, mask


def room_texture(width: int, height: int, seed: int = 7) -> np.ndarray:
    """A well-lit, textured background: soft noise plus shelves and a picture frame."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(0, 1, (height, width)).astype(np.float32)
    texture = cv2.GaussianBlur(noise, (0, 0), 3) * 60 + 125
    for _ in range(14):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = (
            int(rng.integers(width // 20, width // 5)),
            int(rng.integers(height // 30, height // 8)),
        )
        texture[y : y + h, x : x + w] = float(rng.integers(70, 190))
    return np.clip(texture, 0, 255)


class SceneRenderer:
    """Frames of one scene, in the viewer's orientation, as float32 0..255 grey."""

    MARGIN = 0.15  # camera moves within a canvas this much bigger on each side

    def __init__(self, scene: Scene) -> None:
        self.scene = scene
        w, h = scene.width, scene.height
        self.mx, self.my = int(w * self.MARGIN), int(h * self.MARGIN)
        self.canvas = room_texture(w + 2 * self.mx, h + 2 * self.my)
        self.rng = np.random.default_rng(11)
        self.wander = _wander(int(scene.seconds * scene.fps) + 1, scene.fps)
        self.face = None
        if scene.face is not None:
            cx, eye_line, face_h = scene.face
            self.face, self.face_mask = draw_face(int(face_h * h))
            self.face_mask = self.face_mask.astype(np.float32) / 255
            size = self.face.shape[0]
            # The drawn eyes are 14/120 of the face height above the face centre.
            self.face_x = self.mx + int(cx * w) - size // 2
            self.face_y = self.my + int(eye_line * h) + int(14 / 120 * face_h * h) - size // 2

    def frame(self, index: int) -> np.ndarray:
        scene = self.scene
        t = index / scene.fps
        canvas = self.canvas.copy()
        if self.face is not None:
            # The speaker sways a little (moving-ish content, not camera motion).
            sway = int(round(3 * np.sin(2 * np.pi * 0.5 * t)))
            self._paste_face(canvas, self.face_x + sway, self.face_y)
        ox, oy = self._camera(t)
        w, h = scene.width, scene.height
        picture = canvas[self.my + oy : self.my + oy + h, self.mx + ox : self.mx + ox + w]
        return self._light(picture, t)

    def _paste_face(self, canvas: np.ndarray, x: int, y: int) -> None:
        assert self.face is not None
        size = self.face.shape[0]
        # Shoulders in a dark jumper below the face.
        body_top = y + int(size * 0.78)
        cv2.ellipse(
            canvas,
            (x + size // 2, body_top + size // 2),
            (int(size * 0.55), size // 2),
            0, 180, 360, 60, -1,
        )  # fmt: skip
        y0, y1 = max(0, y), min(canvas.shape[0], y + size)
        x0, x1 = max(0, x), min(canvas.shape[1], x + size)
        face = self.face[y0 - y : y1 - y, x0 - x : x1 - x].astype(np.float32)
        mask = self.face_mask[y0 - y : y1 - y, x0 - x : x1 - x]
        canvas[y0:y1, x0:x1] = canvas[y0:y1, x0:x1] * (1 - mask) + face * mask

    def _camera(self, t: float) -> tuple[int, int]:
        scene = self.scene
        if scene.camera == "shake":
            # Hand-held: independent offsets every frame, up to ~2 % of the width.
            amp = int(scene.width * 0.02)
            return (int(self.rng.integers(-amp, amp + 1)), int(self.rng.integers(-amp, amp + 1)))
        if scene.camera == "pan":
            # A smooth pan with easing, across most of the margin.
            progress = (1 - np.cos(np.pi * t / scene.seconds)) / 2
            return (int(round(-self.mx * 0.9 + 1.8 * self.mx * progress)), 0)
        return (0, 0)

    def _light(self, picture: np.ndarray, t: float) -> np.ndarray:
        scene = self.scene
        h, w = picture.shape
        if scene.lighting == "dark_middle":
            third = scene.seconds / 3
            if third <= t < 2 * third:
                return picture * 0.2
        elif scene.lighting == "overexposed":
            return np.clip(picture * 1.6 + 50, 0, 255)
        elif scene.lighting == "backlit":
            out = picture * 0.35  # the room (and the speaker) in shadow...
            # ...a blown-out window fills the picture around and above the speaker.
            window = np.ones_like(picture, dtype=bool)
            window[int(h * 0.2) :, int(w * 0.3) : int(w * 0.7)] = False
            out[window] = 245 + picture[window] * 0.04
            return out
        elif scene.lighting == "flicker":
            return picture * (1 + scene.flicker_depth * np.sin(2 * np.pi * scene.flicker_hz * t))
        elif scene.lighting == "wander":
            # A hand-held selfie whose framing takes in more or less of a bright window: the
            # brightness moves by 4 % RMS at 0.5-4 Hz, at no one rate.
            return picture * (1 + self.wander[min(int(t * scene.fps), self.wander.size - 1)])
        return picture


def _wander(frames: int, fps: int) -> np.ndarray:
    """Band-limited (0.5-4 Hz) random brightness changes of 4 % RMS, one value per frame."""
    noise = np.random.default_rng(5).standard_normal(frames)
    sos = signal.butter(2, [0.5, 4.0], btype="bandpass", fs=fps, output="sos")
    wander = signal.sosfiltfilt(sos, noise)
    return 0.04 * wander / max(float(np.sqrt(np.mean(wander**2))), 1e-9)


# --- sound ----------------------------------------------------------------------------------------


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as wav:
        assert wav.getframerate() == RATE and wav.getnchannels() == 1
        data = np.frombuffer(wav.readframes(wav.getnframes()), np.int16)
    return data.astype(np.float64) / 32768


def write_wav(path: Path, audio: np.ndarray) -> None:
    pcm = (np.clip(audio, -1, 32767 / 32768) * 32768).astype(np.int16)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(pcm.tobytes())


def speech_track(factory: MediaFactory, sentences: tuple[str, ...], seconds: float) -> np.ndarray:
    """Sentences starting at 0.5 s with 0.8 s between them, padded to `seconds`."""
    parts = [np.zeros(int(0.5 * RATE))]
    for sentence in sentences:
        parts += [read_wav(factory.speech(sentence)), np.zeros(int(0.8 * RATE))]
    track = np.concatenate(parts)
    total = int(seconds * RATE)
    if track.size < total:
        track = np.concatenate([track, np.zeros(total - track.size)])
    return track[:total]


def at_loudness(audio: np.ndarray, lufs: float) -> np.ndarray:
    meter = pyloudnorm.Meter(RATE)
    return audio * 10 ** ((lufs - meter.integrated_loudness(audio)) / 20)


def active_power(speech: np.ndarray) -> float:
    """Mean square of the 50 ms frames where the speech is above -50 dBFS (the voiced parts)."""
    size = int(0.05 * RATE)
    frames = speech[: speech.size // size * size].reshape(-1, size)
    power = np.mean(frames**2, axis=1)
    return float(power[power > 1e-5].mean())


def white_noise(samples: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 1, samples)


def wind_gusts(seconds: float, level_dbfs: float = -18.0) -> np.ndarray:
    """Brown noise low-passed at 120 Hz, in three gusts with soft edges."""
    n = int(seconds * RATE)
    brown = np.cumsum(white_noise(n, 5))
    sos = signal.butter(4, [20, 120], btype="bandpass", fs=RATE, output="sos")
    rumble = signal.sosfilt(sos, brown)
    rumble /= np.sqrt(np.mean(rumble**2))
    t = np.arange(n) / RATE
    envelope = np.zeros(n)
    for start in (0.8, 2.6, 4.4):
        inside = (t >= start) & (t < start + 1.2)
        envelope[inside] = np.sin(np.pi * (t[inside] - start) / 1.2) ** 0.5
    return rumble * envelope * 10 ** (level_dbfs / 20)


def scene_audio(factory: MediaFactory, scene: Scene) -> np.ndarray:
    n = int(scene.seconds * RATE)
    room = white_noise(n, 3) * 10 ** (-72 / 20)  # a quiet room's hiss
    if scene.sound == "room_only":
        return room
    speech = at_loudness(speech_track(factory, scene.sentences, scene.seconds), scene.speech_lufs)
    if scene.sound == "quiet":
        speech = at_loudness(speech, -46.0)
    elif scene.sound == "clipped":
        return np.clip(speech * 10, -1.0, 1.0)
    elif scene.sound == "noisy":
        noise = white_noise(n, 9)
        sos = signal.butter(2, 4000, fs=RATE, output="sos")  # street noise is darker than hiss
        noise = signal.sosfilt(sos, noise)
        noise *= np.sqrt(active_power(speech) / 10 ** (scene.snr_db / 10) / np.mean(noise**2))
        return speech + noise
    elif scene.sound == "wind":
        return speech + room + wind_gusts(scene.seconds)
    return speech + room


# --- building -------------------------------------------------------------------------------------


def scene_clip(factory: MediaFactory, scene: Scene) -> Path:
    """Render `scene` once (cached by its recipe) and return the clip."""

    def build(tmp: Path) -> None:
        audio_path = tmp.with_name(tmp.stem + ".wav")
        write_wav(audio_path, scene_audio(factory, scene))
        renderer = SceneRenderer(scene)
        w, h = scene.width, scene.height
        coded_w, coded_h = (h, w) if scene.rotated else (w, h)
        rotation = ["-display_rotation", "-90"] if scene.rotated else []
        cmd = [
            FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
            "-f", "rawvideo", "-pix_fmt", "gray", "-s", f"{coded_w}x{coded_h}",
            "-r", str(scene.fps), "-i", "pipe:0", "-i", str(audio_path),
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "20", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k", "-shortest",
        ]  # fmt: skip
        coded = tmp.with_name(tmp.stem + ".coded.mp4") if scene.rotated else tmp
        proc = subprocess.Popen([*cmd, str(coded)], stdin=subprocess.PIPE)
        assert proc.stdin is not None
        for index in range(int(round(scene.seconds * scene.fps))):
            picture = np.clip(renderer.frame(index), 0, 255).astype(np.uint8)
            if scene.rotated:
                # Stored turned 90 degrees counter-clockwise; the tag turns it back for viewers.
                picture = np.rot90(picture, k=1)
            proc.stdin.write(np.ascontiguousarray(picture).tobytes())
        proc.stdin.close()
        if proc.wait() != 0:
            raise RuntimeError(f"test media ffmpeg failed for {scene.name}")
        if scene.rotated:
            run_ffmpeg([*rotation, "-i", str(coded), "-c", "copy", str(tmp)])
            coded.unlink()
        audio_path.unlink()

    key = f"{RECIPE}|{sorted(asdict(scene).items())}"
    return factory.built(f"check-{scene.name}", key, build)


# The labelled clips: the control must give no warning at all; each other clip gives its own.
CONTROL = Scene("control", width=1280, height=720)
SCENES: dict[str, Scene] = {
    "control": CONTROL,
    "pan": Scene("pan", camera="pan", width=1280, height=720),
    "mild_noise": Scene("mild_noise", sound="noisy", snr_db=25.0, width=1280, height=720),
    "too_dark": Scene("too_dark", lighting="dark_middle"),
    "overexposed": Scene("overexposed", lighting="overexposed"),
    "backlit": Scene("backlit", lighting="backlit"),
    "flicker": Scene("flicker", lighting="flicker"),
    "shaky": Scene("shaky", camera="shake"),
    "head_low": Scene("head_low", face=(0.5, 0.68, 0.28)),
    "head_cut": Scene("head_cut", face=(0.5, 0.16, 0.4)),
    "quiet": Scene("quiet", sound="quiet"),
    "clipped": Scene("clipped", sound="clipped"),
    "noisy": Scene("noisy", sound="noisy", snr_db=3.0),
    "wind": Scene("wind", sound="wind"),
    "no_speech": Scene("no_speech", sound="room_only"),
    "portrait": Scene("portrait", width=360, height=640, face=(0.5, 0.3, 0.18), rotated=True),
    "long": Scene("long", seconds=65.0, width=320, height=180, sentences=tuple(SENTENCES) * 5),
    "p480": Scene("p480", width=854, height=480),
}
