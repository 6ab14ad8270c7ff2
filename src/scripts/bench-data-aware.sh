#!/usr/bin/env bash
# Wall time and peak RSS of the data-aware merges against Task Arithmetic on the same inputs
# (docs/performance.md#data-aware-merges). Needs the demo zoo (./amalgam demo builds it).
#   src/scripts/bench-data-aware.sh image|text [method ...]   (methods: the defaults below, and wudi)
# Each merge is one `amalgam merge RECIPE` under /usr/bin/time -v; the data-aware ones print how long
# their data passes took. Recipes are written to a temporary directory next to the zoo.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
suite="${1:?image or text}"; shift || true
methods=("$@"); [ ${#methods[@]} -gt 0 ] || methods=(task_arithmetic regmean regmean_plusplus fisher_merging adamerging_task adamerging_layer)
zoo="$here/models/zoo"
work="$(mktemp -d "$here/models/.bench-data-aware-XXXXXX")"
trap 'rm -rf "$work"' EXIT
if [ "$suite" = image ]; then
  tasks=(fashion font_digits font_letters shapes); base="$zoo/image/pretrained"; dir="$zoo/image"
  data="data: {suite: {kind: demo-image, zoo: $zoo}}"
else
  tasks=(spam sotu_party wordnet_supersense fortune_topic); base="$zoo/text/pretrained"; dir="$zoo/text"
  models=""; for t in "${tasks[@]}"; do models="$models$t: $dir/$t, "; done
  data="data: {suite: {kind: text, pretrained: $base, data: $dir/data, models: {${models%, }}}}"
fi
for m in "${methods[@]}"; do
  case "$m" in
    task_arithmetic) method=task_arithmetic; params="{lambda: 0.3, weights: [1, 1, 1, 1]}"; d="" ;;
    wudi) method=wudi; params="{}"; d="" ;;
    adamerging_task) method=adamerging; params="{granularity: task, steps: ${STEPS:-100}}"; d="$data" ;;
    adamerging_layer) method=adamerging; params="{granularity: layer, steps: ${STEPS:-100}}"; d="$data" ;;
    *) method="$m"; params="{}"; d="$data" ;;
  esac
  {
    echo "merge_method: $method"; echo "base_model: $base"; echo "models:"
    for t in "${tasks[@]}"; do echo "  - {model: $dir/$t, name: $t}"; done
    echo "parameters: $params"; echo "$d"
  } > "$work/$m.yaml"
  log="$work/$m.log"
  /usr/bin/time -v "$here/amalgam" merge "$work/$m.yaml" --out "$work/out-$m" > "$log" 2>&1 || { cat "$log"; exit 1; }
  wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$log" | awk '{printf "%.0f", $NF/1024}')
  pass=$(grep -o "data passes over .* in [0-9.]* s" "$log" | grep -o "[0-9.]* s$" || echo "-")
  printf '%-18s wall %8s  peak RSS %6s MB  data passes %s\n' "$m" "$wall" "$rss" "$pass"
  rm -rf "$work/out-$m"
done
