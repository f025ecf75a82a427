"""Before `make run` opens the window on Linux: are the system libraries Qt's xcb plugin needs
there? Without libxcb-cursor0 (Ubuntu 22.04, a minimal Debian) the app failed with Qt's
"Could not load the Qt platform plugin xcb" paragraph, which names no package.

Asks the dynamic linker (ldd) what the plugin cannot find, then prints the one install command
for this system's package manager (apt, dnf, pacman or zypper); run as root, as `make test` is,
it installs them itself. Exit status 0 when nothing is missing (or it was installed), else 1.
Standard library only: it runs before the window's own code does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# The libraries Qt's xcb plugin and its xcb support library load, by soname, and the package
# that ships each: Debian/Ubuntu (apt), Fedora (dnf), Arch (pacman), openSUSE (zypper).
PACKAGES: dict[str, tuple[str, str, str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor", "libxcb-cursor0"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm", "libxcb-icccm4"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms",
                            "libxcb-keysyms1"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image", "libxcb-image0"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil",
                                "xcb-util-renderutil", "libxcb-render-util0"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util", "libxcb-util1"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb", "libxcb-shape0"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb", "libxcb-xkb1"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb", "libxcb-randr0"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb", "libxcb-xfixes0"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb", "libxcb-sync1"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb", "libxcb-shm0"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb", "libxcb-render0"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb", "libxcb", "libxcb-xinput0"),
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb", "libxcb1"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11", "libX11-xcb1"),
    "libX11.so.6": ("libx11-6", "libX11", "libx11", "libX11-6"),
    "libSM.so.6": ("libsm6", "libSM", "libsm", "libSM6"),
    "libICE.so.6": ("libice6", "libICE", "libice", "libICE6"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11",
                              "libxkbcommon-x11-0"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon", "libxkbcommon0"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libglvnd", "libEGL1"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd", "libGL1"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl", "libglvnd", "libOpenGL0"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx", "libglvnd", "libGLX0"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig", "libfontconfig1"),
    "libfreetype.so.6": ("libfreetype6", "freetype", "freetype2", "libfreetype6"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs", "dbus", "libdbus-1-3"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2", "glib2", "libglib-2_0-0"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2", "glib2", "libgthread-2_0-0"),
    "libGLdispatch.so.0": ("libglvnd0", "libglvnd", "libglvnd", "libGLdispatch0"),
    "libXau.so.6": ("libxau6", "libXau", "libxau", "libXau6"),
    "libXdmcp.so.6": ("libxdmcp6", "libXdmcp", "libxdmcp", "libXdmcp6"),
}  # fmt: skip
MANAGERS = ("apt-get", "dnf", "pacman", "zypper")  # in the order of PACKAGES' columns
INSTALL = {
    "apt-get": ["apt-get", "install", "-y"],
    "dnf": ["dnf", "install", "-y"],
    "pacman": ["pacman", "-S", "--needed", "--noconfirm"],
    "zypper": ["zypper", "--non-interactive", "install"],
}
NOT_FOUND = re.compile(r"^\s*(\S+)\s*=>\s*not found", re.MULTILINE)


def plugin_files() -> list[Path]:
    """Qt's xcb platform plugin and the xcb support library it loads, from PySide6."""
    import PySide6  # the package only: no Qt library is loaded by this import

    qt = Path(PySide6.__file__).parent / "Qt"
    return [p for p in (qt / "plugins" / "platforms" / "libqxcb.so",
                        *sorted((qt / "lib").glob("libQt6XcbQpa.so*"))) if p.exists()]  # fmt: skip


def missing_libraries(files: list[Path]) -> list[str]:
    """Sonames the dynamic linker cannot find for `files`, each once, in order."""
    found: list[str] = []
    for file in files:
        result = subprocess.run(["ldd", str(file)], capture_output=True, text=True, check=False)
        for soname in NOT_FOUND.findall(result.stdout):
            if soname not in found:
                found.append(soname)
    return found


def package_manager() -> str | None:
    return next((name for name in MANAGERS if shutil.which(name)), None)


def install_command(missing: list[str], manager: str) -> list[str]:
    """The one command that installs every package `missing` needs with `manager`."""
    column = MANAGERS.index(manager)
    packages: list[str] = []
    for soname in missing:
        package = PACKAGES[soname][column] if soname in PACKAGES else soname
        if package not in packages:
            packages.append(package)
    return [*INSTALL[manager], *packages]


def main() -> int:
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return 0
    missing = missing_libraries(plugin_files())
    if not missing:
        return 0
    manager = package_manager()
    print("The window needs system libraries that are not installed: " + ", ".join(missing))
    if manager is None:
        print("Install the packages that provide them with your system's package manager.")
        return 1
    command = install_command(missing, manager)
    if os.geteuid() == 0:
        print("Installing them: " + " ".join(command))
        if manager == "apt-get":
            subprocess.run(["apt-get", "update", "-qq"], check=False)
        installed = subprocess.run(command, check=False).returncode == 0
        return 0 if installed and not missing_libraries(plugin_files()) else 1
    print("Install them with this command, then run `make run` again:")
    print("  sudo " + " ".join(command))
    return 1


if __name__ == "__main__":
    sys.exit(main())
