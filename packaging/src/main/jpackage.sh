#!/usr/bin/env bash
# Builds the EventLens app-image with jpackage (docs/decisions/0013-packaging.md). Called by the packaging
# module's `mvn package`:  jpackage.sh JAVA_HOME TARGET NAME VERSION JDK_MODULES ICON
#   TARGET/input        the app's jars (class path), TARGET/input/demo-lib the demo's broker (optional folder)
#   TARGET/javafx       JavaFX's modular jars, linked into the runtime as named modules
# Result: TARGET/image/NAME (bin/NAME launcher, lib/runtime, lib/app).
set -euo pipefail
JDK=$1 TARGET=$2 NAME=$3 VERSION=$4 MODULES=$5 ICON=$6
JPACKAGE="$JDK/bin/jpackage"
rm -f "$TARGET/image-skipped"
if [ ! -x "$JPACKAGE" ]; then
  # a JDK without jpackage (some distributions ship it apart): the jar is built, the image is not
  echo "packaging: WARNING: no jpackage in $JDK: no app-image built (use a full JDK 21+, e.g. Temurin)" >&2
  echo "no jpackage in $JDK" >"$TARGET/image-skipped"
  exit 0
fi
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JDK/release")
JAVA_OPTIONS=(--java-options "--enable-native-access=javafx.graphics,ALL-UNNAMED")
# The JVM's own warnings go to stderr, never stdout (stdout is the CLI's output, e.g. timeline JSON); the
# class-sharing archive's notes are silenced (it reports the --add-exports below as a mismatch, then maps
# the archive all the same)
JAVA_OPTIONS+=(--java-options "-Xlog:disable" --java-options "-Xlog:all=warning,cds*=off:stderr")
# ControlsFX (on the class path) reaches into JavaFX internals (its correlation-ID completion popup)
for pkg in javafx.base/com.sun.javafx.event javafx.controls/com.sun.javafx.scene.control \
           javafx.controls/com.sun.javafx.scene.control.behavior; do
  JAVA_OPTIONS+=(--java-options "--add-exports=$pkg=ALL-UNNAMED")
done
# JDK 24+ warns when Kafka's clients and JavaFX use sun.misc.Unsafe (JEP 498); they still need it
if [ "${major:-21}" -ge 24 ]; then JAVA_OPTIONS+=(--java-options "--sun-misc-unsafe-memory-access=allow"); fi

# JavaFX's jars carry their native libraries, which JavaFX would copy to ~/.openjfx/cache at every
# first start: take them out of the jars and put them in the runtime's lib folder, where
# System.loadLibrary finds them
FXMODS="$TARGET/javafx-modules" NATIVES="$TARGET/javafx-natives"
rm -rf "$FXMODS" "$NATIVES" && mkdir -p "$FXMODS" "$NATIVES"
cp "$TARGET/javafx/"*.jar "$FXMODS/"
if command -v zip >/dev/null 2>&1 && command -v unzip >/dev/null 2>&1; then
  for jar in "$FXMODS/"*.jar; do
    if unzip -Z1 "$jar" | grep '\.so$' >/dev/null; then
      unzip -q -o "$jar" '*.so' -d "$NATIVES"
      zip -q -d "$jar" '*.so'
    fi
  done
else
  echo "packaging: no zip/unzip here: JavaFX will copy its native libraries to ~/.openjfx/cache at first start" >&2
fi

rm -rf "$TARGET/image"
start=$(date +%s)
"$JPACKAGE" --type app-image --dest "$TARGET/image" \
  --name "$NAME" --app-version "$VERSION" --icon "$ICON" \
  --description "EventLens: desktop event-flow inspector for Kafka and AMQP" --vendor "EventLens" \
  --input "$TARGET/input" --main-jar eventlens-app.jar --main-class io.eventlens.app.Main \
  --module-path "$FXMODS" --add-modules "$MODULES,javafx.controls" \
  --jlink-options "--strip-debug --no-man-pages --no-header-files --generate-cds-archive" \
  "${JAVA_OPTIONS[@]}"
# the default CDS archive (--generate-cds-archive: faster start, as the JDK's own) without its copy for
# heaps above 32 GB (-XX:-UseCompressedOops), which EventLens never runs with
rm -f "$TARGET/image/$NAME/lib/runtime/lib/server/classes_nocoops.jsa"
if compgen -G "$NATIVES/*.so" >/dev/null; then cp "$NATIVES/"*.so "$TARGET/image/$NAME/lib/runtime/lib/"; fi
# keep the runtime's bin/java (the bounded child JVM of capture and demo runs on it,
# docs/decisions/0010), drop the JDK tools jlink left beside it
for tool in "$TARGET/image/$NAME/lib/runtime/bin/"*; do
  case "$(basename "$tool")" in java) ;; *) rm -f "$tool" ;; esac
done
# Class data sharing for the app's own classes (JavaFX, AtlantaFX, EventLens...): one training run opens
# the window off-screen (Xvfb) until its first frame and dumps the classes it loaded; the launcher then maps
# them instead of loading and verifying them. Needs Xvfb on the build machine; without it the image has no
# archive and starts as a plain JVM does.
img="$TARGET/image/$NAME"
if [ "${EVENTLENS_APPCDS:-1}" = 1 ] && command -v Xvfb >/dev/null 2>&1; then
  train="$TARGET/cds-training" && rm -rf "$train" && mkdir -p "$train"
  Xvfb -displayfd 3 -screen 0 1280x720x24 -nolisten tcp 3>"$train/display" 2>/dev/null &
  xvfb=$!
  for _ in $(seq 1 100); do [ -s "$train/display" ] && break; sleep 0.1; done
  if HOME="$train" XDG_CONFIG_HOME="$train/config" XDG_DATA_HOME="$train/data" DISPLAY=":$(head -1 "$train/display")" \
      JAVA_TOOL_OPTIONS="-XX:ArchiveClassesAtExit=$img/lib/app/$NAME.jsa -Duser.home=$train -Deventlens.exitAfterFirstFrame=true" \
      timeout 180 "$img/bin/$NAME" >"$train/out.txt" 2>&1 && [ -s "$img/lib/app/$NAME.jsa" ]; then
    echo "java-options=-XX:SharedArchiveFile=\$APPDIR/$NAME.jsa" >>"$img/lib/app/$NAME.cfg"
  else
    echo "packaging: the class-sharing training run failed; the image starts without it: $(tail -3 "$train/out.txt")" >&2
    rm -f "$img/lib/app/$NAME.jsa"
  fi
  kill "$xvfb" 2>/dev/null || true
fi

size() { du -sm "$1" | cut -f1; }
echo "packaging: $img in $(( $(date +%s) - start )) s: $(size "$img") MB" \
  "(runtime $(size "$img/lib/runtime") MB, app $(( $(size "$img/lib/app") - $(size "$img/lib/app/demo-lib") )) MB," \
  "demo broker lib/app/demo-lib $(size "$img/lib/app/demo-lib") MB)"
