"""Writing a file safely, and reading one with plain words when it cannot be read.

Every file the app writes (the export, its sidecar .srt, transcribe's output, brand kits, the
window's autosaves, downloaded models) goes through `safe_writes` / `write_file`:
- preflight before any long work: the folder exists and is writable, the target is not a folder,
  not one of the inputs, not an existing file unless the user said --overwrite, and the disk has
  room for the estimated size;
- a lock file beside the target (`.NAME.lock`), so two runs never write one output;
- the data goes to a temporary name beside the target, renamed onto it only by `commit()`, so a
  failed, cancelled or killed run never leaves half a file under the real name.

Temporary names carry the writer's process id (`.NAME.<pid>-<hex>.part.mp4`, work folders
`clipstudio-<pid>-xxxx`): a later run removes those whose process is gone, and never touches a
live run's files.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import sys
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from clipstudio.core.errors import BadInputError, OutputExistsError

# The part of a temporary name that says "a run's unfinished file": `.<pid>-<8 hex>.part`.
PART_MARK = ".part"
_PART_NAME = re.compile(r"^\..*\.(?P<pid>\d+)-[0-9a-f]{8}\.part(?:\.[^.]*)?$")
_LOCK_NAME = re.compile(r"^\..+\.lock$")
# The work folders of exports in the system temp folder.
WORK_DIR_PREFIX = "clipstudio-"
_WORK_DIR_NAME = re.compile(rf"^{WORK_DIR_PREFIX}(?P<pid>\d+)-")
# Free space kept beyond the estimate: the disk is shared with the system and other programs,
# and an estimate of an encoder's output is only that.
FREE_SPACE_MARGIN_BYTES = 50_000_000

Input = str | os.PathLike[str]


# --- reading ------------------------------------------------------------------------------------


def plain_os_error(exc: OSError, path: Input) -> str:
    """An OSError in words a volunteer understands (never "[Errno 40]"), naming the path."""
    name = os.fspath(path)
    words = {
        errno.ENOENT: f"no such file or folder: {name}",
        errno.ELOOP: f"{name} is a shortcut (symbolic link) that loops back on itself",
        errno.EACCES: f"no permission to use {name}",
        errno.EPERM: f"no permission to use {name}",
        errno.EROFS: f"{name} is on a read-only disk",
        errno.ENOSPC: f"the disk is full (while writing {name})",
        errno.EDQUOT: f"your disk quota is full (while writing {name})",
        errno.EISDIR: f"{name} is a folder, not a file",
        errno.ENOTDIR: f"a part of {name} is not a folder",
        errno.ENAMETOOLONG: f"the name is too long: {name}",
        errno.EIO: f"the disk could not be read or written ({name})",
    }
    return words.get(exc.errno or 0, f"cannot use {name}: {exc.strerror or exc}")


def _stat(path: Input, missing: str) -> os.stat_result:
    """os.stat with plain words: `missing` when there is nothing there."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        raise BadInputError(missing) from None
    except OSError as exc:
        raise BadInputError(plain_os_error(exc, path)) from None


def check_readable(path: Input, what: str = "file") -> os.stat_result:
    """Raise a plain BadInputError unless `path` is a non-empty file this user can read."""
    info = _stat(path, f"{what} not found: {os.fspath(path)}")
    if stat.S_ISDIR(info.st_mode):
        raise BadInputError(f"this is a folder, not a {what}: {os.fspath(path)}")
    if not stat.S_ISREG(info.st_mode):
        raise BadInputError(f"this is not a {what} (a device or a pipe): {os.fspath(path)}")
    if info.st_size == 0:
        raise BadInputError(f"the file is empty: {os.fspath(path)}")
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise BadInputError(plain_os_error(exc, path)) from None
    return info


def read_limited(path: Input, limit: int, what: str) -> bytes:
    """The bytes of a small file the user gave (a kit, a caption file), refused past `limit`."""
    info = check_readable(path, what)
    if info.st_size > limit:
        raise BadInputError(
            f"{Path(path).name} is {info.st_size / 1e6:.1f} MB: too big for a {what}"
            f" (at most {limit / 1e6:g} MB)"
        )
    try:
        return Path(path).read_bytes()[: limit + 1]
    except OSError as exc:
        raise BadInputError(plain_os_error(exc, path)) from None


# --- whose files are these ----------------------------------------------------------------------


def pid_alive(pid: int) -> bool:
    """Whether process `pid` still runs (a reused pid counts as alive: its files are kept)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def part_name(final: Path) -> Path:
    """The temporary name beside `final`, carrying this process's id."""
    return final.with_name(
        f".{final.stem}.{os.getpid()}-{uuid.uuid4().hex[:8]}{PART_MARK}{final.suffix}"
    )


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()


def sweep_stale(folder: Path) -> list[Path]:
    """Remove the unfinished files of dead runs in `folder` (their pid is gone) and lock files
    nobody holds; returns what was removed. Best effort: a folder we cannot list is left."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _PART_NAME.match(entry.name)
        if match and not pid_alive(int(match["pid"])):
            _remove(Path(entry.path))
            removed.append(Path(entry.path))
        elif _LOCK_NAME.match(entry.name) and _lock_is_free(Path(entry.path)):
            removed.append(Path(entry.path))
    return removed


def sweep_work_dirs() -> list[Path]:
    """Remove the work folders of dead runs from the system temp folder."""
    removed = []
    base = Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for entry in os.scandir(base):
            match = _WORK_DIR_NAME.match(entry.name)
            if match and entry.is_dir(follow_symlinks=False) and not pid_alive(int(match["pid"])):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def work_dir(purpose: str = "work") -> Iterator[Path]:
    """A scratch folder in the system temp folder named for this process; removed on the way
    out, and by the next run if this one is killed."""
    sweep_work_dirs()
    path = Path(tempfile.mkdtemp(prefix=f"{WORK_DIR_PREFIX}{os.getpid()}-{purpose}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


# --- locks --------------------------------------------------------------------------------------


def lock_path(final: Path) -> Path:
    return final.with_name(f".{final.name}.lock")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _lock_is_free(path: Path) -> bool:
    """A lock file nobody holds is a dead run's: removed (while held, so no one else takes it)."""
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        if not _try_lock(fd):
            return False
        if sys.platform != "win32":  # Windows cannot remove an open file; it is left
            with contextlib.suppress(OSError):
                os.unlink(path)
        return True
    finally:
        os.close(fd)


class _Lock:
    """An exclusive lock on `.NAME.lock` beside a target, held until release()."""

    def __init__(self, final: Path) -> None:
        self.path = lock_path(final)
        for _attempt in range(5):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise BadInputError(_cannot_write(final.parent, exc)) from None
            if not _try_lock(fd):
                owner = _read_owner(fd)
                os.close(fd)
                raise BadInputError(
                    f"another Clip Studio run{owner} is writing {final.name} right now:"
                    " wait for it to finish, or choose another name"
                )
            # A run that finished between our open() and flock() removed the file we locked:
            # lock the file that is there now instead.
            if sys.platform == "win32" or _same_file(fd, self.path):
                break
            os.close(fd)
        else:
            raise BadInputError(f"could not lock {final.name}: try again")
        self.fd = fd
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())

    def release(self) -> None:
        if self.fd < 0:
            return
        if sys.platform != "win32":
            with contextlib.suppress(OSError):
                os.unlink(self.path)
        os.close(self.fd)
        self.fd = -1
        if sys.platform == "win32":
            with contextlib.suppress(OSError):
                os.unlink(self.path)


def _same_file(fd: int, path: Path) -> bool:
    try:
        held, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)


def _read_owner(fd: int) -> str:
    with contextlib.suppress(OSError, ValueError):
        text = os.pread(fd, 32, 0).decode("ascii").strip() if hasattr(os, "pread") else ""
        if text.isdigit():
            return f" (process {int(text)})"
    return ""


# --- preflight ----------------------------------------------------------------------------------


def _cannot_write(folder: Path, exc: OSError) -> str:
    if exc.errno == errno.EROFS:
        return f"cannot write in {folder}: it is on a read-only disk"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"cannot write in {folder}: no permission (choose another folder)"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"cannot write in {folder}: the disk is full"
    return f"cannot write in {folder}: {plain_os_error(exc, folder)}"


def _is_input(final: Path, inputs: Iterable[Input]) -> Path | None:
    """The input `final` would overwrite (same file, or the same path), if any."""
    for source in inputs:
        source_path = Path(source)
        with contextlib.suppress(OSError):
            if os.path.samefile(source_path, final):
                return source_path
        with contextlib.suppress(OSError, RuntimeError, ValueError):
            if os.path.realpath(source_path) == os.path.realpath(final):
                return source_path
    return None


def preflight(
    final: Path,
    *,
    inputs: Iterable[Input] = (),
    overwrite: bool = False,
    expected_bytes: int = 0,
) -> None:
    """Every reason `final` cannot be written, found before any long work (one plain error)."""
    folder = final.parent
    folder_info = _stat(folder, f"the folder {folder} does not exist")
    if not stat.S_ISDIR(folder_info.st_mode):
        raise BadInputError(f"{folder} is not a folder")
    try:
        target = os.stat(final)
    except FileNotFoundError:
        target = None
    except OSError as exc:
        raise BadInputError(plain_os_error(exc, final)) from None
    if target is not None and stat.S_ISDIR(target.st_mode):
        raise BadInputError(f"{final} is a folder: give a file name for the output")
    source = _is_input(final, inputs)
    if source is not None:
        raise BadInputError(
            f"the output would overwrite {source.name}, which this run reads: choose another name"
        )
    if target is not None and not overwrite:
        raise OutputExistsError(f"{final} already exists (add --overwrite to replace it)")
    if target is not None and not stat.S_ISREG(target.st_mode):
        raise BadInputError(f"{final} is not a normal file: choose another name")
    if not os.access(folder, os.W_OK):
        # Root passes access() on folders it does not own; the lock file's creation then tells.
        raise BadInputError(_cannot_write(folder, OSError(_access_errno(folder), "")))
    if expected_bytes:
        check_free_space(folder, expected_bytes)


def _access_errno(folder: Path) -> int:
    with contextlib.suppress(OSError, AttributeError):
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return errno.EROFS
    return errno.EACCES


def check_free_space(folder: Path, expected_bytes: int) -> None:
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return  # a file system that cannot say: the write itself will tell
    needed = expected_bytes + FREE_SPACE_MARGIN_BYTES
    if free < needed:
        raise BadInputError(
            f"not enough free space in {folder}: this needs about {needed / 1e6:.0f} MB and"
            f" {free / 1e6:.0f} MB are free"
        )


# --- writing ------------------------------------------------------------------------------------


class SafeWrites:
    """Targets claimed up front (preflight + lock), written under temporary names, renamed
    onto the targets only by `commit()`; anything not committed is removed on close."""

    def __init__(self, inputs: Iterable[Input] = (), overwrite: bool = False) -> None:
        self.inputs = [Path(p) for p in inputs]
        self.overwrite = overwrite
        self.locks: dict[Path, _Lock] = {}
        self.temps: dict[Path, Path] = {}  # final -> temp

    def claim(self, final: Path, *, expected_bytes: int = 0) -> Path:
        """Check and lock `final` now, before the work that makes it; returns the final path."""
        final = Path(final)
        if final in self.locks:
            return final
        preflight(final, inputs=self.inputs, overwrite=self.overwrite,
                  expected_bytes=expected_bytes)  # fmt: skip
        self.locks[final] = _Lock(final)
        sweep_stale(final.parent)
        return final

    def temp(self, final: Path) -> Path:
        """The temporary path to write `final`'s data to (claimed here if it was not yet)."""
        final = self.claim(final)
        if final not in self.temps:
            self.temps[final] = part_name(final)
        return self.temps[final]

    def commit(self) -> None:
        """Rename every written temp onto its target (validated work only)."""
        for final, temp in self.temps.items():
            if not self.overwrite and final.exists():
                raise OutputExistsError(f"{final} appeared while this run worked: not replaced")
            try:
                os.replace(temp, final)
            except OSError as exc:
                raise BadInputError(
                    f"could not save {final.name}: {plain_os_error(exc, final)}"
                ) from None
        self.temps.clear()

    def close(self) -> None:
        for temp in self.temps.values():
            with contextlib.suppress(FileNotFoundError):
                _remove(temp)
        self.temps.clear()
        for lock in self.locks.values():
            lock.release()
        self.locks.clear()


@contextlib.contextmanager
def safe_writes(inputs: Iterable[Input] = (), overwrite: bool = False) -> Iterator[SafeWrites]:
    writes = SafeWrites(inputs, overwrite)
    try:
        yield writes
    finally:
        writes.close()


def write_file(
    path: Path,
    data: bytes | str,
    *,
    inputs: Iterable[Input] = (),
    overwrite: bool = False,
    mode: int = 0o644,
) -> None:
    """Write a whole small file safely (see the module docstring); `str` is written as UTF-8."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with safe_writes(inputs, overwrite) as writes:
        temp = writes.temp(Path(path))
        try:
            with open(temp, "wb") as handle:
                handle.write(raw)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, mode)
        except OSError as exc:
            raise BadInputError(
                f"could not save {Path(path).name}: {plain_os_error(exc, path)}"
            ) from None
        writes.commit()


def ensure_folder(folder: Path) -> None:
    """Make one of the app's own folders (settings, autosaves), with a plain error."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInputError(_cannot_write(folder, exc)) from None
