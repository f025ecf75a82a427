"""App identity and the one resource lookup that serves both a checkout and the frozen bundle.

The frozen build itself is run by tests/dist/test_frozen.py (`make dist-test`); here the bundle
is imitated by laying out a folder the way build.spec lays out `sys._MEIPASS`.
"""

from __future__ import annotations

import ast
import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from clipstudio import __version__, resources

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"
DESKTOP_FILE = ROOT / "packaging" / "linux" / "clipstudio.desktop"
# Committed renders may differ from a fresh render by antialiasing between Qt releases.
RENDER_TOLERANCE = 3.0


def spec_resource_datas() -> list[tuple[str, str]]:
    """build.spec's RESOURCE_DATAS, read without running PyInstaller."""
    for node in ast.parse(SPEC.read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "RESOURCE_DATAS":
            return ast.literal_eval(node.value)
    raise AssertionError("build.spec has no RESOURCE_DATAS")


def resource_paths() -> dict[str, Path]:
    return {
        "caption font": resources.caption_font_file(),
        "font licence": resources.fonts_dir() / "DejaVu-LICENSE.txt",
        "licence": resources.licence_file(),
        **{f"icon {p.name}": p for p in resources.app_icon_files()},
    }


def test_checkout_finds_resources_beside_the_package() -> None:
    assert not resources.is_frozen()
    assert resources.assets_dir() == ROOT / "assets"
    for what, path in resource_paths().items():
        assert path.is_file(), what
        assert path.is_relative_to(ROOT), what


def test_frozen_bundle_finds_resources_where_build_spec_puts_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "_internal"
    for source, target in spec_resource_datas():
        origin = ROOT / source
        if origin.is_dir():
            shutil.copytree(origin, bundle / target)
        else:
            (bundle / target).mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, bundle / target / origin.name)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert resources.is_frozen()
    assert resources.assets_dir() == bundle / "assets"
    for what, path in resource_paths().items():
        assert path.is_relative_to(bundle), what
        assert path.is_file(), f"{what}: build.spec does not bundle {path.relative_to(bundle)}"


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    from clipstudio.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"Clip Studio {__version__}"


def test_window_title_and_icon(qtbot) -> None:
    from clipstudio.gui.app import create_window, ensure_application

    app = ensure_application()
    window = create_window()
    qtbot.addWidget(window)
    assert f"Clip Studio {__version__}" in window.windowTitle()
    sizes = {size.width() for size in app.windowIcon().availableSizes()}
    assert set(resources.APP_ICON_SIZES) <= sizes


def test_icon_renders_match_the_svg_and_hold_every_size(tmp_path: Path) -> None:
    """Fails when the SVG was edited without `make icons`, or a render lost a size."""
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import make_icons
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    shutil.copy2(resources.icons_dir() / resources.APP_ICON_SVG, tmp_path)
    make_icons.make_icons(tmp_path)
    for size in resources.APP_ICON_SIZES:
        name = f"clipstudio-{size}.png"
        committed = Image.open(resources.icons_dir() / name).convert("RGBA")
        fresh = Image.open(tmp_path / name).convert("RGBA")
        assert committed.size == (size, size)
        # Mean absolute difference per channel byte (tobytes: getdata is deprecated in Pillow 13).
        difference = sum(
            abs(a - b) for a, b in zip(committed.tobytes(), fresh.tobytes(), strict=True)
        ) / (size * size * 4)
        assert difference < RENDER_TOLERANCE, f"{name} is out of date: run `make icons`"
    with Image.open(resources.icons_dir() / "clipstudio.ico") as ico:
        assert {(s, s) for s in make_icons.ICO_SIZES} <= set(ico.info["sizes"])
    with Image.open(resources.icons_dir() / "clipstudio.icns") as icns:
        assert (512, 512, 2) in icns.info["sizes"] and icns.size == (1024, 1024)


def test_linux_desktop_file() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(DESKTOP_FILE, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Name"] == "Clip Studio"
    assert desktop["Exec"].split()[:2] == ["clipstudio", "gui"]
    assert desktop["Icon"] == "clipstudio"
    assert "video/mp4" in desktop["MimeType"].split(";")
    # The name Qt gives the window (app.setDesktopFileName), so docks group it with the entry.
    assert desktop["StartupWMClass"] == "clipstudio"
    validator = shutil.which("desktop-file-validate")
    if validator:
        result = subprocess.run([validator, str(DESKTOP_FILE)], capture_output=True, text=True)
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout
