#!/bin/sh
# Install Rung from this unpacked folder for the current user, or remove it again.
#
#   ./install.sh                      # into ~/.local: the app in lib/rung, `rung` in bin
#   sudo PREFIX=/usr/local ./install.sh
#   ./install.sh --uninstall          # with the same PREFIX
#
# The menu entry, the icons and the AppStream metadata go to $PREFIX/share, where
# desktops look. Your data folder (~/.local/share/Rung) is never touched.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
app="$prefix/lib/rung"
share="$prefix/share"

# Tell the desktop; an icon cache is only refreshed where the theme already keeps one.
refresh() {
    if command -v update-desktop-database >/dev/null; then
        update-desktop-database -q "$share/applications" || true
    fi
    if [ -f "$share/icons/hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null; then
        gtk-update-icon-cache -q "$share/icons/hicolor" || true
    fi
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$app"
    rm -f "$prefix/bin/rung" "$share/applications/rung.desktop" \
        "$share/metainfo/io.github.rung.rung.metainfo.xml" \
        "$share"/icons/hicolor/*/apps/rung.png "$share/icons/hicolor/scalable/apps/rung.svg"
    refresh
    echo "Removed Rung from $prefix."
    exit 0
fi

rm -rf "$app"
mkdir -p "$app" "$prefix/bin"
cp -R "$here/rung" "$here/_internal" "$app/"
ln -sf "$app/rung" "$prefix/bin/rung"
(cd "$here/share" && find . -type f) | while read -r file; do
    mkdir -p "$(dirname "$share/$file")"
    cp "$here/share/$file" "$share/$file"
done
# An absolute Exec, so the menu entry works even when $prefix/bin is not on PATH.
sed -i "s|^Exec=rung\$|Exec=\"$app/rung\"|" "$share/applications/rung.desktop"
refresh
echo "Installed Rung in $app; run it as $prefix/bin/rung or from the desktop's menu."
