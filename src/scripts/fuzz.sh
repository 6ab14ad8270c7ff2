#!/usr/bin/env bash
# Coverage-guided fuzzing with Jazzer, one target at a time, for as long as asked (docs/fuzzing.md).
#
#   src/scripts/fuzz.sh TARGET [SECONDS]      (default 60 s)
#
# TARGET: safetensors | sharded | onnx | recipe | run-recipe | all, or a *FuzzTest class name.
# Inputs that add coverage go to .cifuzz-corpus/ (ignored by git, reused by the next run); an input
# that fails a check is written to the target's inputs directory under src/testdata, where the
# normal `mvn test` replays it from then on. Exit status: 0 when nothing was found. The full Maven log
# is target/fuzz-<class>.log.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="${1:-}"
seconds="${2:-60}"
case "$target" in
  safetensors) classes=(SafetensorsHeaderFuzzTest) ;;
  sharded) classes=(ShardedCheckpointFuzzTest) ;;
  onnx) classes=(OnnxReaderFuzzTest) ;;
  recipe) classes=(RecipeParserFuzzTest) ;;
  run-recipe) classes=(RunRecipeParserFuzzTest) ;;
  all) classes=(SafetensorsHeaderFuzzTest ShardedCheckpointFuzzTest OnnxReaderFuzzTest RecipeParserFuzzTest
                RunRecipeParserFuzzTest) ;;
  *FuzzTest) classes=("$target") ;;
  *) echo "usage: src/scripts/fuzz.sh safetensors|sharded|onnx|recipe|run-recipe|all|<Class>FuzzTest [SECONDS]" >&2
     exit 2 ;;
esac
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "src/scripts/fuzz.sh: SECONDS must be a positive whole number, got '$seconds'" >&2
  exit 2
fi
cd "$here"
mvn -B -q test-compile
status=0
for c in "${classes[@]}"; do
  log="target/fuzz-$c.log"
  echo "== $c: fuzzing for ${seconds}s (log: $log)"
  # One class per JVM: Jazzer fuzzes a single @FuzzTest per JVM.
  if mvn -B surefire:test@fuzz -Damalgam.fuzz=true -Damalgam.fuzz.duration="${seconds}s" -Damalgam.fuzz.test="$c" \
      >"$log" 2>&1; then
    :
  else
    status=1
  fi
  # libFuzzer's own summary: executions, coverage, corpus; and where a failing input was written.
  grep -a -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^Done [0-9]+ runs|Test unit written to|FuzzTestFinding|Tests run:' "$log" \
    | grep -a -v '^\[INFO\] Tests run:.*Time elapsed' | tr -cd '\11\12\15\40-\176' || true
done
exit $status
