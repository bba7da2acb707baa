#!/usr/bin/env bash
# Builds the EventLens app-image with jpackage (docs/decisions/0013-packaging.md). Called by the packaging
# module's `mvn package`:  jpackage.sh JAVA_HOME TARGET NAME VERSION JDK_MODULES ICON
#   TARGET/input        the app's jars (class path), TARGET/input/demo-lib the demo's broker (optional folder)
#   TARGET/javafx       JavaFX's modular jars, linked into the runtime as named modules
# Result: TARGET/image/NAME (bin/NAME launcher, lib/runtime, lib/app).
set -euo pipefail
JDK=$1 TARGET=$2 NAME=$3 VERSION=$4 MODULES=$5 ICON=$6
JPACKAGE="$JDK/bin/jpackage"
if [ ! -x "$JPACKAGE" ]; then
  echo "packaging: no jpackage in $JDK; build with a full JDK 21 or newer" >&2
  exit 1
fi
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JDK/release")
JAVA_OPTIONS=(--java-options "--enable-native-access=javafx.graphics,ALL-UNNAMED")
# JDK 24+ warns when Kafka's clients and JavaFX use sun.misc.Unsafe (JEP 498); they still need it
if [ "${major:-21}" -ge 24 ]; then JAVA_OPTIONS+=(--java-options "--sun-misc-unsafe-memory-access=allow"); fi

rm -rf "$TARGET/image"
start=$(date +%s)
"$JPACKAGE" --type app-image --dest "$TARGET/image" \
  --name "$NAME" --app-version "$VERSION" --icon "$ICON" \
  --description "EventLens: desktop event-flow inspector for Kafka and AMQP" --vendor "EventLens" \
  --input "$TARGET/input" --main-jar eventlens-app.jar --main-class io.eventlens.app.Main \
  --module-path "$TARGET/javafx" --add-modules "$MODULES,javafx.controls" \
  --jlink-options "--strip-debug --no-man-pages --no-header-files" \
  "${JAVA_OPTIONS[@]}"
# keep the runtime's bin/java (the bounded child JVM of capture and demo runs on it,
# docs/decisions/0010), drop the JDK tools jlink left beside it
for tool in "$TARGET/image/$NAME/lib/runtime/bin/"*; do
  case "$(basename "$tool")" in java) ;; *) rm -f "$tool" ;; esac
done
size() { du -sm "$1" | cut -f1; }
img="$TARGET/image/$NAME"
echo "packaging: $img in $(( $(date +%s) - start )) s: $(size "$img") MB" \
  "(runtime $(size "$img/lib/runtime") MB, app $(( $(size "$img/lib/app") - $(size "$img/lib/app/demo-lib") )) MB," \
  "demo broker lib/app/demo-lib $(size "$img/lib/app/demo-lib") MB)"
