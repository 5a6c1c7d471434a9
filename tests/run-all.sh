#!/usr/bin/env bash
# Installs everything the tests need on Debian/Ubuntu, starts a private PostgreSQL server
# and an X display, and runs every test of the workspace. `.ci/run` calls this.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(
  # build
  libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config
  # the window, driven through WebDriver under a virtual display
  webkit2gtk-driver xvfb xauth
  # pictures of the window as the display shows it (layout test)
  imagemagick
  # reading documents back
  poppler-utils zbar-tools qpdf
  # digitising papers: scanimage and SANE's test backend as the scanner
  sane-utils
  # the optional text layer: Tesseract with its Vietnamese data, reading a page rendered in DejaVu
  tesseract-ocr tesseract-ocr-vie fonts-dejavu-core
  # tampering with the database behind the app's back (audit tests)
  sqlite3
  # printing through a real CUPS
  cups cups-client printer-driver-cups-pdf
  # the second database engine
  postgresql
  # the citizens' status page rendered by a real browser
  chromium
  # the public status host: a WebDAV folder (nginx's dav module) started by the test
  nginx
  # ... or an S3 bucket: moto, installed from PyPI into a virtual environment below
  python3-venv
  # the Windows build: cross-compiled with mingw-w64, installed and run under Wine
  gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 binutils-mingw-w64-x86-64 nsis wine wine64 xdotool
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "Rust is needed: https://rustup.rs" >&2
  exit 1
fi
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v tauri-driver >/dev/null; then
  echo "== installing tauri-driver"
  cargo install tauri-driver --locked --quiet
fi

# A private PostgreSQL cluster on a free port, trusted on loopback only; gone at exit.
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
PG_DIR="$(mktemp -d /tmp/motcua-pg.XXXXXX)"
LOGS="$(mktemp -d /tmp/motcua-tests.XXXXXX)"
windows_build=""
PG_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_DIR"; fi
cleanup() {
  [ -z "$windows_build" ] || kill "$windows_build" 2>/dev/null || true
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR" "$LOGS"
}
trap cleanup EXIT
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on" start >/dev/null
export MOTCUA_TEST_POSTGRES="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
export MOTCUA_REQUIRE_POSTGRES=1
# The status page must be rendered by a real browser, not skipped.
export MOTCUA_REQUIRE_CHROMIUM=1
# The public status is published to a real nginx WebDAV folder, not skipped.
export MOTCUA_REQUIRE_NGINX=1
# ... and to a real S3 server: moto from PyPI (pinned) in its own virtual environment,
# installed once into a cache folder; its test fails rather than skips without it.
MOTO_VERSION=5.2.5
export MOTCUA_MOTO="${MOTCUA_MOTO:-/var/tmp/motcua-moto}"
if ! "$MOTCUA_MOTO/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
  echo "== installing moto $MOTO_VERSION into $MOTCUA_MOTO"
  rm -rf "$MOTCUA_MOTO"
  python3 -m venv "$MOTCUA_MOTO"
  "$MOTCUA_MOTO/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi
export MOTCUA_REQUIRE_S3=1
echo "== PostgreSQL on port $PG_PORT"

# CUPS with a cups-pdf virtual printer: printing tests print for real into PDF files.
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
  $SUDO /usr/sbin/cupsd
  for _ in $(seq 1 50); do lpstat -r 2>/dev/null | grep -q "is running" && break; sleep 0.2; done
fi
if ! lpstat -e 2>/dev/null | grep -qx MotcuaTestPDF; then
  $SUDO lpadmin -p MotcuaTestPDF -E -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd 2>/dev/null
fi
export MOTCUA_TEST_PRINTER=MotcuaTestPDF
PDF_OUT="$(awk '$1 == "Out" {print $2}' /etc/cups/cups-pdf.conf 2>/dev/null | tail -1)"
USER_HOME="$(getent passwd "$(id -un)" | cut -d: -f6)"
[ -n "$PDF_OUT" ] || PDF_OUT='${HOME}/PDF'
export MOTCUA_TEST_PRINT_DIR="$(printf '%s' "$PDF_OUT" | sed "s|\${HOME}|$USER_HOME|")"
echo "== CUPS printer MotcuaTestPDF writes into $MOTCUA_TEST_PRINT_DIR"

# Two builds at once: the Windows installer (installed into a Wine prefix by the Windows
# tests, tests/windows/; its last line is the installer's path) and the Linux test
# binaries. After a change each is mostly one linker on one core. The wine profile is the
# release build without whole-program optimisation, so a change re-links in seconds.
echo "== Windows build (src-tauri/windows/build.sh --profile wine) and the test build, at once"
bash src-tauri/windows/build.sh --profile wine >"$LOGS/windows.out" 2>"$LOGS/windows.log" &
windows_build=$!
cargo test --workspace --all-targets --locked --no-run
windows_status=0
wait "$windows_build" || windows_status=$?
windows_build=""
cat "$LOGS/windows.log" >&2
if [ "$windows_status" -ne 0 ]; then
  echo "the Windows build failed" >&2
  exit 1
fi
MOTCUA_WINDOWS_INSTALLER="$(tail -n 1 "$LOGS/windows.out")"
export MOTCUA_WINDOWS_INSTALLER MOTCUA_REQUIRE_WINE=1
echo "== Windows installer: $MOTCUA_WINDOWS_INSTALLER"

# Four tests at a time on two cores: most of a window or Wine test is waiting (on the app, a
# clock, a server), and each WebDriver window starts an Xvfb display of its own. The display
# xvfb-run gives is Wine's and the two windows shown without WebDriver. (Running the `domain`
# tests beside the `desk` ones saved nothing: the two cores are already busy.)
echo "== cargo test (all tests, under a virtual display)"
xvfb-run -a -s "-screen 0 1920x1080x24" cargo test --workspace --all-targets --locked --no-fail-fast -- --test-threads=4
