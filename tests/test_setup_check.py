"""`make run`'s check for the system libraries Qt's xcb plugin needs (packaging/qt_system_libs.py)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "qt_system_libs", ROOT / "packaging" / "qt_system_libs.py"
)
assert _spec is not None and _spec.loader is not None
check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check)

# The base system every desktop has: glibc, the C and C++ runtimes, compression, crypto, systemd.
BASE_SYSTEM = re.compile(
    r"^(ld-linux[-\w]*|linux-vdso|libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s|libz|libzstd"
    r"|liblzma|liblz4|libbz2|libbrotli\w*|libexpat|libpng16|libpcre2-\d+|libbsd|libmd|libcap"
    r"|libgcrypt|libgpg-error|libsystemd|libffi|libmount|libblkid|libselinux|libuuid)\.so"
)


def test_one_install_command_per_package_manager() -> None:
    missing = ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-shape.so.0", "libxcb-xkb.so.1"]
    assert check.install_command(missing, "apt-get") == [
        "apt-get", "install", "-y", "libxcb-cursor0", "libxcb-icccm4", "libxcb-shape0",
        "libxcb-xkb1",
    ]  # fmt: skip
    # Fedora ships both xcb libraries in one package: named once.
    assert check.install_command(missing, "dnf") == [
        "dnf", "install", "-y", "xcb-util-cursor", "xcb-util-wm", "libxcb",
    ]  # fmt: skip
    assert check.install_command(missing, "pacman")[:4] == ["pacman", "-S", "--needed",
                                                             "--noconfirm"]  # fmt: skip
    assert check.install_command(["libnew.so.9"], "zypper")[-1] == "libnew.so.9"  # not in the table


def test_missing_libraries_come_from_ldds_not_found_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    output = (
        "\tlinux-vdso.so.1 (0x00007ffd)\n"
        "\tlibxcb-cursor.so.0 => not found\n"
        "\tlibX11.so.6 => /lib/x86_64-linux-gnu/libX11.so.6 (0x00007f)\n"
        "\tlibxcb-icccm.so.4 => not found\n"
    )

    def ldd(args, **_kwargs):
        return subprocess.CompletedProcess(args, 0, output, "")

    monkeypatch.setattr(check.subprocess, "run", ldd)
    files = [Path("a.so"), Path("b.so")]
    assert check.missing_libraries(files) == ["libxcb-cursor.so.0", "libxcb-icccm.so.4"]


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("ldd") is None,
                    reason="ldd is Linux's")  # fmt: skip
def test_the_table_knows_every_system_library_the_real_plugin_loads() -> None:
    files = check.plugin_files()
    assert files and files[0].name == "libqxcb.so"
    needed = set()
    for file in files:
        listing = subprocess.run(["ldd", str(file)], capture_output=True, text=True).stdout
        for line in listing.splitlines():
            name = line.split()[0] if line.split() else ""
            if "PySide6" not in line and name and not BASE_SYSTEM.match(Path(name).name):
                needed.add(Path(name).name)
    assert needed, "ldd listed nothing"
    assert needed <= set(check.PACKAGES), needed - set(check.PACKAGES)
    assert check.missing_libraries(files) == []  # this machine has them (make test installs)
