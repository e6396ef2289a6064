#!/bin/sh
# Install this FlowDesk folder for every user of the machine (run as root), or for the
# current user only with --user. Unattended: no questions, exit code 0 on success,
# safe to run again (an upgrade replaces the program folder; desks' data is untouched:
# it lives in each user's data folder, never beside the program).
#
#   sudo ./install.sh            # /opt/flowdesk, /usr/local/bin/flowdesk, menu entry
#   ./install.sh --user          # ~/.local/opt/flowdesk, ~/.local/bin/flowdesk
#   PREFIX=/srv/apps ./install.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = "--user" ]; then
  prefix=${PREFIX:-$HOME/.local}
  target=$prefix/opt/flowdesk
  share=${XDG_DATA_HOME:-$HOME/.local/share}
else
  prefix=${PREFIX:-/usr/local}
  target=${TARGET:-/opt/flowdesk}
  share=$prefix/share
fi
bindir=$prefix/bin

if [ "$here" != "$target" ]; then
  # Copy aside, then swap: a desk never sees a half-copied program.
  mkdir -p "$(dirname "$target")"
  rm -rf "$target.new"
  cp -a "$here" "$target.new"
  rm -rf "$target.old"
  if [ -e "$target" ]; then mv "$target" "$target.old"; fi
  mv "$target.new" "$target"
  rm -rf "$target.old"
fi

mkdir -p "$bindir" "$share/applications" "$share/icons/hicolor/scalable/apps" \
  "$share/icons/hicolor/256x256/apps"
ln -sf "$target/flowdesk" "$bindir/flowdesk"
# The entry runs `flowdesk` from PATH; write the absolute path so it works without it.
sed "s|^Exec=flowdesk|Exec=$target/flowdesk|; s|^TryExec=flowdesk|TryExec=$target/flowdesk|" \
  "$target/share/applications/flowdesk.desktop" > "$share/applications/flowdesk.desktop"
for icon in scalable/apps/flowdesk.svg 256x256/apps/flowdesk.png; do
  if [ -f "$target/share/icons/hicolor/$icon" ]; then
    cp "$target/share/icons/hicolor/$icon" "$share/icons/hicolor/$icon"
  fi
done
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$share/applications" || true
# flowdesk:// URLs (screen pops from CTI clients) open FlowDesk
command -v xdg-mime >/dev/null 2>&1 && xdg-mime default flowdesk.desktop x-scheme-handler/flowdesk || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
echo "FlowDesk installed in $target (command: $bindir/flowdesk)"
