#!/usr/bin/env bash
# Builds the image zoo of the offline demo (tiny CLIP pretrained locally + 4 vision fine-tunes) into
# ${1:-models/zoo/image}. Idempotent: finished stages recorded in manifest.json are skipped.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "$here/datasets/setup.sh"
"$here/amalgam" --help > /dev/null   # builds src/cli/target/amalgam.jar + lib/ on first use
exec java ${AMALGAM_JAVA_OPTS:--Xmx4g} -Djava.awt.headless=true -Dai.djl.offline=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$here/src/cli/target/amalgam.jar:$here/src/cli/target/lib/*" dev.amalgam.demo.image.ImageZoo "${1:-$here/models/zoo/image}"
