#!/bin/sh
# Put Clip Studio in this user's application menu, with its icon (no root needed). Run it from the
# unpacked clipstudio folder: ./install-menu-entry.sh  (or pass that folder as the argument).
# To take it out again, delete ~/.local/share/applications/clipstudio.desktop.
set -eu
folder=$(cd "${1:-$(dirname "$0")}" && pwd)
exe="$folder/clipstudio"
if [ ! -x "$exe" ]; then
  echo "error: no clipstudio program in $folder" >&2
  exit 2
fi
data=${XDG_DATA_HOME:-$HOME/.local/share}
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
  cp "$folder/_internal/assets/icons/clipstudio-$size.png" \
     "$data/icons/hicolor/${size}x${size}/apps/clipstudio.png"
done
mkdir -p "$data/applications"
# The menu starts the program by its full path: the folder is not on PATH.
sed -e "s|^Exec=clipstudio |Exec=\"$exe\" |" -e "s|^TryExec=clipstudio\$|TryExec=$exe|" \
  "$folder/clipstudio.desktop" > "$data/applications/clipstudio.desktop"
if command -v update-desktop-database >/dev/null; then
  update-desktop-database "$data/applications"
fi
echo "Clip Studio is now in your application menu."
