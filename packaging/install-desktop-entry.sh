#!/bin/sh
# Install the built app's Linux desktop entry and icon for the current user.
#   packaging/install-desktop-entry.sh [APP_DIR]   (default: dist/fieldkit, made by `make package`)
# Puts a `fieldkit` launcher in ~/.local/bin, the entry in ~/.local/share/applications and the
# icon in the hicolor theme, so the app appears in the desktop's menu and search.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
app_dir=$(cd "${1:-$here/dist/fieldkit}" && pwd)
[ -x "$app_dir/fieldkit" ] || { echo "no built app in $app_dir: run 'make package' first" >&2; exit 1; }
data="${XDG_DATA_HOME:-$HOME/.local/share}"
mkdir -p "$HOME/.local/bin" "$data/applications" "$data/icons/hicolor/256x256/apps" \
    "$data/icons/hicolor/scalable/apps"
ln -sf "$app_dir/fieldkit" "$HOME/.local/bin/fieldkit"
ln -sf "$app_dir/fieldkit-cli" "$HOME/.local/bin/fieldkit-cli"
cp "$here/resources/fieldkit.png" "$data/icons/hicolor/256x256/apps/fieldkit.png"
cp "$here/resources/fieldkit.svg" "$data/icons/hicolor/scalable/apps/fieldkit.svg"
sed "s|^Exec=fieldkit$|Exec=$app_dir/fieldkit|; s|^TryExec=fieldkit$|TryExec=$app_dir/fieldkit|" \
    "$here/resources/fieldkit.desktop" > "$data/applications/fieldkit.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q "$data/icons/hicolor" 2>/dev/null || true
echo "installed: $data/applications/fieldkit.desktop (runs $app_dir/fieldkit)"
