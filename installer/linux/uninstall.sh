#!/bin/sh
# Remove FlowDesk installed by install.sh (same options). Users' data folders
# (~/.local/share/FlowDesk) are left alone: they hold each desk's usage log.
set -eu
if [ "${1:-}" = "--user" ]; then
  prefix=${PREFIX:-$HOME/.local}
  target=$prefix/opt/flowdesk
  share=${XDG_DATA_HOME:-$HOME/.local/share}
else
  prefix=${PREFIX:-/usr/local}
  target=${TARGET:-/opt/flowdesk}
  share=$prefix/share
fi
rm -f "$prefix/bin/flowdesk" "$share/applications/flowdesk.desktop" \
  "$share/icons/hicolor/scalable/apps/flowdesk.svg" "$share/icons/hicolor/256x256/apps/flowdesk.png"
rm -rf "$target"
echo "FlowDesk removed from $target (user data kept)"
