#!/usr/bin/env bash
# Smoke run of the packaged app-image, part of `mvn verify` (CI: ./dev test). smoke.sh IMAGE WORK VERSION
# Checks, through the image's own launcher and runtime only (no JDK, no Maven on the path):
#   --version; the runtime's modules (JavaFX named, no jdk.compiler); the one-line no-display message (exit 5);
#   the demo captured to a file (the bounded child JVM runs on the image's runtime, with an ahead-of-time cache of its own); a headless timeline of
#   that capture as JSON; and the app without its demo folder (timeline works, demo says what is missing).
set -euo pipefail
IMAGE=$1 WORK=$2 VERSION=$3
L="$IMAGE/bin/eventlens"
if [ -f "$(dirname "$(dirname "$IMAGE")")/image-skipped" ]; then
  echo "smoke: WARNING: no image to try: $(cat "$(dirname "$(dirname "$IMAGE")")/image-skipped")" >&2
  exit 0
fi
rm -rf "$WORK" && mkdir -p "$WORK/home"
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/config" XDG_DATA_HOME="$WORK/home/data"
export PATH=/usr/bin:/bin JAVA_HOME=  # nothing but the image
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }
start=$(date +%s)

out=$("$L" --version) || fail "--version exited $?"
[ "$(head -1 <<<"$out")" = "EventLens $VERSION" ] || fail "--version printed: $out"
[ "$(wc -l <<<"$out")" = 2 ] || fail "--version printed more than its two lines: $out"

mods=$("$IMAGE/lib/runtime/bin/java" --list-modules)
grep -q '^javafx.controls@' <<<"$mods" || fail "javafx.controls is not a module of the runtime"
if grep -q '^jdk.compiler@' <<<"$mods"; then fail "the runtime holds jdk.compiler"; fi

set +e
msg=$(env -u DISPLAY -u WAYLAND_DISPLAY "$L" 2>&1 >/dev/null); rc=$?
set -e
[ "$rc" = 5 ] || fail "without a display the app exited $rc, not 5: $msg"
[ "$(wc -l <<<"$msg")" = 1 ] || fail "without a display the message is not one line: $msg"
grep -q "no display" <<<"$msg" || fail "no-display message: $msg"
if grep -qi "exception\|unnamed module\|sun.misc.Unsafe" <<<"$msg"; then fail "no-display message: $msg"; fi

"$L" demo --duration 3s --out "$WORK/sample.mv.db" 2>"$WORK/demo.err" >/dev/null || fail "demo exited $?: $(tail -5 "$WORK/demo.err")"
if grep -q "sun.misc.Unsafe\|unnamed module" "$WORK/demo.err"; then fail "demo warned: $(grep -m2 'Unsafe\|unnamed' "$WORK/demo.err")"; fi
# the headless child trains its own ahead-of-time cache (not the launcher's desktop archive), quietly
compgen -G "$HOME/.cache/eventlens/cds/eventlens-demo-*.aot" >/dev/null || fail "no ahead-of-time cache of demo: $(ls "$HOME/.cache/eventlens/cds" 2>&1)"
if grep -q "\[error\]\|aot\]\|cds\]" "$WORK/demo.err"; then fail "demo's JVM complained: $(grep -m2 'error\]\|aot\]\|cds\]' "$WORK/demo.err")"; fi
set +e
probe=$("$L" timeline --capture "$WORK/sample" --correlation-id no-such-id 2>&1 >/dev/null)
set -e
id=$(sed -n 's/.*some stored IDs: \[\([^],]*\).*/\1/p' <<<"$probe")
[ -n "$id" ] || fail "no correlation ID in the demo capture: $probe"
json=$("$L" timeline --capture "$WORK/sample" --correlation-id "$id" --format json) || fail "timeline exited $?"
grep -q "\"correlationId\" *: *\"$id\"" <<<"$json" || fail "timeline JSON without the correlation ID: ${json:0:300}"
grep -q '"verdict"' <<<"$json" || fail "timeline JSON without a verdict: ${json:0:300}"
[ "${json:0:1}" = "{" ] || fail "timeline's stdout is not only JSON: ${json:0:300}"

# the window, when this machine can show one off-screen: first frame on a 1280x720 screen, no warnings
if command -v Xvfb >/dev/null 2>&1; then
  Xvfb -displayfd 3 -screen 0 1280x720x24 -nolisten tcp 3>"$WORK/display" 2>/dev/null &
  xvfb=$!
  trap 'kill $xvfb 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
  [ -s "$WORK/display" ] || fail "Xvfb did not start"
  set +e
  DISPLAY=":$(head -1 "$WORK/display")" JAVA_TOOL_OPTIONS="-Duser.home=$HOME -Deventlens.exitAfterFirstFrame=true" \
    timeout 120 "$L" >"$WORK/window.out" 2>"$WORK/window.err"; rc=$?
  set -e
  # GTK 3 missing (a broken libgtk-3.so.0 first on the library path): one line, exit 5, no stack trace
  mkdir -p "$WORK/no-gtk" && : >"$WORK/no-gtk/libgtk-3.so.0"
  set +e
  msg=$(DISPLAY=":$(head -1 "$WORK/display")" LD_LIBRARY_PATH="$WORK/no-gtk" timeout 60 "$L" 2>&1 >/dev/null); gtk_rc=$?
  set -e
  kill $xvfb 2>/dev/null || true
  [ "$gtk_rc" = 5 ] || fail "without GTK 3 the app exited $gtk_rc, not 5: $msg"
  [ "$(wc -l <<<"$msg")" = 1 ] && grep -q "GTK 3" <<<"$msg" || fail "without GTK 3: $msg"
  [ "$rc" = 0 ] || fail "the window exited $rc: $(grep -v '^\s*at ' "$WORK/window.err" | head -5)"
  grep -q "First frame after" "$WORK/window.err" || fail "no first frame: $(head -5 "$WORK/window.err")"
  if grep -qi "Exception\|unnamed module\|sun.misc.Unsafe\|WARNING" "$WORK/window.err"; then
    fail "the window warned: $(grep -m3 'Exception\|unnamed\|Unsafe\|WARNING' "$WORK/window.err")"
  fi
  frame=$(sed -n 's/.*First frame after \([0-9]*\) ms.*/\1/p' "$WORK/window.err")
  [ -s "$XDG_DATA_HOME/eventlens/logs/eventlens.log" ] || fail "no log file in $XDG_DATA_HOME/eventlens/logs"
  [ -s "$XDG_CONFIG_HOME/eventlens/settings.json" ] || fail "no settings file in $XDG_CONFIG_HOME/eventlens"
  window="window (first frame ${frame} ms), no GTK 3, "
else
  window=""
  echo "smoke: no Xvfb on this machine: the window is not tried" >&2
fi

core="$WORK/core-image"
cp -al "$IMAGE" "$core" 2>/dev/null || cp -a "$IMAGE" "$core"
rm -rf "$core/lib/app/demo-lib"
"$core/bin/eventlens" timeline --capture "$WORK/sample" --correlation-id "$id" >/dev/null || fail "timeline without the demo folder exited $?"
set +e
msg=$("$core/bin/eventlens" demo --duration 1s 2>&1 >/dev/null); rc=$?
set -e
[ "$rc" = 3 ] || fail "demo without its folder exited $rc, not 3: $msg"
grep -q "not installed" <<<"$msg" || fail "demo without its folder: $msg"
for dot in .openjfx .eventlens .java; do
  if [ -e "$HOME/$dot" ]; then fail "$dot written to the home folder"; fi
done
echo "smoke: the image at $IMAGE passed in $(( $(date +%s) - start )) s (--version, modules, no display, ${window}demo capture, timeline $id, without the demo folder)"
