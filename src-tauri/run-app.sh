#!/usr/bin/env bash
# Installs what Một Cửa needs to build on Debian/Ubuntu, then builds and opens the desk
# window on the SQLite database in your data folder (~/.local/share/motcua/motcua.db).
# Extra arguments go to the app, e.g. `bash src-tauri/run-app.sh --lang en`.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PACKAGES=(libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config cups-client)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
if ! command -v cargo >/dev/null; then
  echo "Rust is needed: install it from https://rustup.rs, then run this again." >&2
  exit 1
fi
# Some Linux desktops show a blank webview without this.
export WEBKIT_DISABLE_DMABUF_RENDERER="${WEBKIT_DISABLE_DMABUF_RENDERER:-1}"
exec cargo run --release --locked -- "$@"
