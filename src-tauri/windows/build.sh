#!/usr/bin/env bash
# Builds Một Cửa for Windows on Debian/Ubuntu: the release motcua.exe cross-compiled with
# mingw-w64, then its installer with Debian's makensis (the Tauri bundler's NSIS path
# downloads its tools, which offline build machines cannot do). Installs the packages and the
# Rust target it needs when they are missing (with sudo when not root).
#
# The installer's absolute path is the LAST line of standard output, so scripts can take it
# with `| tail -n 1`; every other message goes to standard error. A caller's
# CARGO_TARGET_DIR is honoured. Any failure exits non-zero.
#
# `--profile wine` builds the same program without the whole-program optimisation and with
# our own crates unoptimised, for the test command: what the tests check under Wine does not depend on it, and it makes each
# re-link after a change take seconds instead of three minutes. What an office installs is
# the default, the release profile.
set -euo pipefail
# grep -q reads here-strings, never a pipe: it may stop reading early, and pipefail would
# count the writer's broken pipe as a failure.

# Keep standard output for the final path alone.
exec 3>&1 1>&2

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TRIPLE=x86_64-pc-windows-gnu
MINGW=x86_64-w64-mingw32
# cargo reads a relative CARGO_TARGET_DIR from the caller's folder; resolve it before moving.
if [ -n "${CARGO_TARGET_DIR:-}" ]; then
  CARGO_TARGET_DIR="$(realpath -m -- "$CARGO_TARGET_DIR")"
  export CARGO_TARGET_DIR
fi
cd "$ROOT"

fail() {
  echo "build.sh: $*" >&2
  exit 1
}

PROFILE=release
case "${1:-}" in
  "") ;;
  --profile)
    [ "${2:-}" = release ] || [ "${2:-}" = wine ] || fail "--profile takes release or wine"
    PROFILE="$2"
    ;;
  *) fail "unknown argument '$1' (usage: build.sh [--profile release|wine])" ;;
esac

# The icon, the group icon and the version resource are in PATH, and the version resource's
# numbers are VERSION: what Explorer shows in the file's properties and the taskbar.
check_resources() {
  python3 - "$1" "$2" <<'EOF'
import struct, sys

path, version = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
u16 = lambda at: struct.unpack_from("<H", data, at)[0]
u32 = lambda at: struct.unpack_from("<I", data, at)[0]
pe = u32(0x3C)
optional = pe + 24
directories = optional + (112 if u16(optional) == 0x20B else 96)
sections = optional + u16(pe + 20)

def offset(rva):
    for i in range(u16(pe + 6)):
        s = sections + 40 * i
        size, va, raw_size, raw = struct.unpack_from("<IIII", data, s + 8)
        if va <= rva < va + max(size, raw_size):
            return rva - va + raw
    sys.exit(f"{path}: no section holds RVA {rva:#x}")

if u32(directories + 2 * 8) == 0:
    sys.exit(f"{path}: no resources at all")
root = offset(u32(directories + 2 * 8))

def entries(directory):
    count = u16(root + directory + 12) + u16(root + directory + 14)
    return [struct.unpack_from("<II", data, root + directory + 16 + 8 * i) for i in range(count)]

types = {name: target for name, target in entries(0)}
RT_ICON, RT_GROUP_ICON, RT_VERSION = 3, 14, 16
for kind, label in ((RT_ICON, "icon"), (RT_GROUP_ICON, "group icon"), (RT_VERSION, "version")):
    if kind not in types:
        sys.exit(f"{path}: no {label} resource")
target = types[RT_VERSION]
while target & 0x80000000:
    target = entries(target & 0x7FFFFFFF)[0][1]
info = offset(u32(root + target))
fixed = info + 40  # after the header and the padded "VS_VERSION_INFO" key
if u32(fixed) != 0xFEEF04BD:
    sys.exit(f"{path}: the version resource has no fixed file info")
ms, ls = u32(fixed + 8), u32(fixed + 12)
found = f"{ms >> 16}.{ms & 0xFFFF}.{ls >> 16}"
if found != version or ls & 0xFFFF:
    sys.exit(f"{path}: file version {found}.{ls & 0xFFFF}, expected {version}.0")
print(f"   {path}: icon, version {found}")
EOF
}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PACKAGES=(gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 binutils-mingw-w64-x86-64 nsis python3)
missing=()
for p in "${PACKAGES[@]}"; do
  grep -q "install ok installed" <<<"$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || fail "Rust is needed: install it from https://rustup.rs, then run this again."
if ! grep -qx "$TRIPLE" <<<"$(rustup target list --installed 2>/dev/null)"; then
  command -v rustup >/dev/null || fail "the $TRIPLE standard library comes from rustup (https://rustup.rs)"
  echo "== rustup target add $TRIPLE"
  rustup target add "$TRIPLE"
fi

# The version is Cargo.toml's; tauri-build writes tauri.conf.json's into the exe, so both
# must say the same. The publisher is tauri.conf.json's bundle.publisher.
METADATA="$(cargo metadata --no-deps --locked --format-version 1)"
metadata() {
  printf '%s' "$METADATA" | python3 -c "import json, sys; m = json.load(sys.stdin); print($1)"
}
VERSION="$(metadata 'next(p["version"] for p in m["packages"] if p["name"] == "motcua")')"
TARGET_DIR="$(metadata 'm["target_directory"]')"
CONF_VERSION="$(python3 -c 'import json; print(json.load(open("tauri.conf.json", encoding="utf-8")).get("version", ""))')"
PUBLISHER="$(python3 -c 'import json; print(json.load(open("tauri.conf.json", encoding="utf-8"))["bundle"]["publisher"])')"
[ "$CONF_VERSION" = "$VERSION" ] ||
  fail "tauri.conf.json says version '$CONF_VERSION', Cargo.toml '$VERSION': make them the same"
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
  fail "version '$VERSION' is not MAJOR.MINOR.PATCH, which Windows' version resource needs"

echo "== cargo build --profile $PROFILE --target $TRIPLE (motcua $VERSION)"
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER="$MINGW-gcc"
cargo build --profile "$PROFILE" --locked --target "$TRIPLE" --bin motcua

OUT="$TARGET_DIR/$TRIPLE/$PROFILE"
EXE="$OUT/motcua.exe"
# The gnu build imports WebView2Loader.dll at load time; tauri-build copies it here.
LOADER="$OUT/WebView2Loader.dll"
[ -f "$EXE" ] || fail "no $EXE after the build"
[ -f "$LOADER" ] || fail "no $LOADER after the build (tauri-build copies it from webview2-com-sys)"

echo "== checking $EXE"
# Only the lines checked below: the whole dump is tens of megabytes (the exception table),
# which took bash seconds to search.
HEADERS="$("$MINGW-objdump" -p "$EXE" | grep -E '^Subsystem|DLL Name:' || true)"
grep -Eq '^Subsystem[[:space:]]+0*2[[:space:]]+\(Windows GUI\)' <<<"$HEADERS" ||
  fail "motcua.exe is not a Windows GUI program: $(grep '^Subsystem' <<<"$HEADERS")"
# Only Windows' own DLLs and the WebView2 loader: a mingw runtime DLL would be missing on
# the office's PC.
while read -r dll; do
  case "${dll,,}" in
    lib*.dll) fail "motcua.exe needs the mingw runtime $dll, which Windows does not have" ;;
  esac
done < <(sed -n 's/^[[:space:]]*DLL Name: //p' <<<"$HEADERS")
grep -q 'DLL Name: WebView2Loader.dll' <<<"$HEADERS" ||
  fail "motcua.exe no longer imports WebView2Loader.dll: check what the installer should ship"
check_resources "$EXE" "$VERSION"

# cmd and PowerShell wait only for console programs, and pick .com before .exe: motcua.com
# is motcua.exe marked as one, for the command line (src-tauri/src/console.rs).
COM="$OUT/motcua.com"
python3 - "$EXE" "$COM" <<'EOF'
import struct, sys

data = bytearray(open(sys.argv[1], "rb").read())
optional = struct.unpack_from("<I", data, 0x3C)[0] + 24
IMAGE_SUBSYSTEM_WINDOWS_CUI = 3
struct.pack_into("<H", data, optional + 68, IMAGE_SUBSYSTEM_WINDOWS_CUI)
open(sys.argv[2], "wb").write(data)
EOF
COM_SUBSYSTEM="$("$MINGW-objdump" -p "$COM" | grep '^Subsystem' || true)"
grep -Eq '^Subsystem[[:space:]]+0*3[[:space:]]+\(Windows CUI\)' <<<"$COM_SUBSYSTEM" ||
  fail "motcua.com did not become a console program"

INSTALLER="$OUT/MotCua-$VERSION-setup.exe"
rm -f "$INSTALLER"
echo "== makensis $HERE/installer.nsi"
QUICK=()
[ "$PROFILE" = release ] || QUICK=(-DQUICK)
makensis -V2 -INPUTCHARSET UTF8 -WX "${QUICK[@]}" \
  "-DVERSION=$VERSION" \
  "-DPUBLISHER=$PUBLISHER" \
  "-DEXE=$EXE" \
  "-DCOM=$COM" \
  "-DLOADER=$LOADER" \
  "-DICON=$ROOT/icons/icon.ico" \
  "-DOUTFILE=$INSTALLER" \
  "$HERE/installer.nsi"
[ -f "$INSTALLER" ] || fail "makensis wrote no $INSTALLER"
check_resources "$INSTALLER" "$VERSION"

echo "$INSTALLER" >&3
