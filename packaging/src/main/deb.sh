#!/usr/bin/env bash
# The .deb of EventLens without the demo's broker, and the demo folder as a tar.gz to unpack into the
# installed app (docs/decisions/0013-packaging.md). deb.sh JAVA_HOME TARGET NAME VERSION ICON
set -euo pipefail
JDK=$1 TARGET=$2 NAME=$3 VERSION=$4 ICON=$5
if [ -f "$TARGET/image-skipped" ]; then echo "packaging: no app-image, so no .deb: $(cat "$TARGET/image-skipped")" >&2; exit 0; fi
for tool in fakeroot dpkg-deb; do
  command -v "$tool" >/dev/null 2>&1 || { echo "packaging: no $tool on this machine: no .deb (the app-image is in $TARGET/image)" >&2; exit 0; }
done
core="$TARGET/deb-image/$NAME"
rm -rf "$TARGET/deb-image" "$TARGET/deb" && mkdir -p "$TARGET/deb-image" "$TARGET/deb"
cp -a "$TARGET/image/$NAME" "$core"
tar -C "$core/lib/app" -czf "$TARGET/deb/$NAME-demo-broker-$VERSION.tar.gz" demo-lib
rm -rf "$core/lib/app/demo-lib"
"$JDK/bin/jpackage" --type deb --app-image "$core" --dest "$TARGET/deb" \
  --name "$NAME" --app-version "$VERSION" --icon "$ICON" \
  --description "EventLens: desktop event-flow inspector for Kafka and AMQP" --vendor "EventLens" \
  --linux-shortcut --linux-menu-group Development --linux-app-category devel
ls -la "$TARGET/deb"
