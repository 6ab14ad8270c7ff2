#!/usr/bin/env bash
# Builds the GPU check kit (docs/gpu.md): one archive, at most 64 MiB, for a GPU host with Python, pip torch
# and CUDA but no Java. It holds a jlink'ed Java 17 runtime with exactly the modules jdeps reports for the
# jars, the project's jars without the CPU libtorch jar, DJL v0.35.1's JNI sources with the generated JNI
# header and the JDK's jni.h/jni_md.h, and run.sh. Then (unless --no-selftest) it unpacks the archive and
# runs the check program with the kit's own runtime on this machine's CPU.
#
#   src/scripts/gpu-kit/build.sh [--no-selftest] [--out DIR]     → DIR/amalgam-gpu-kit.tar.xz (default target/gpu-kit)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="$root/target/gpu-kit"
selftest=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-selftest) selftest=0 ;;
    --out) out="$(mkdir -p "$2" && cd "$2" && pwd)"; shift ;;
    *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
limit=$((64 * 1024 * 1024))
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
for tool in jlink jdeps javac; do
  [ -x "$java_home/bin/$tool" ] || { echo "build.sh: $java_home/bin/$tool not found (a full JDK 17 is needed)" >&2; exit 2; }
done

echo "build.sh: packaging the project (mvn package) ..." >&2
(cd "$root" && mvn -B -o -q -DskipTests -pl src/cli -am package >&2)

stage="$out/stage/amalgam-gpu-kit"
rm -rf "$out/stage" && mkdir -p "$stage/lib"
cp "$root/src/cli/target/amalgam.jar" "$stage/lib/"
for j in "$root"/src/cli/target/lib/*.jar; do
  case "$(basename "$j")" in
    pytorch-native-cpu-*) ;;               # the CPU libtorch: the host's torch replaces it
    langchain4j-embeddings-*) ;;           # packaged pretrained encoders (ONNX): the check builds its own models
    *) cp "$j" "$stage/lib/" ;;
  esac
done

# every class reachable from amalgam.jar through the other jars (given as jars, modular ones would be
# resolved as modules, and commons-compress names a module that is not shipped)# other platforms' native libraries out, entries stored uncompressed: xz then shrinks the classes far better
python3 "$here/slim-jar.py" "$stage"/lib/*.jar

modules="$("$java_home/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 --recursive \
  --class-path "$stage/lib/*" "$stage/lib/amalgam.jar")"
echo "build.sh: jlink runtime with $modules" >&2
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=0 \
  --output "$stage/runtime"
strip --strip-unneeded "$stage"/runtime/lib/*.so "$stage"/runtime/lib/server/*.so 2>/dev/null || true
echo "$modules" > "$stage/runtime/MODULES"

# what build-jni.sh needs on a host without a JDK: the JNI headers and the javac -h header of DJL's JNI class
mkdir -p "$stage/jni-include/linux" "$stage/jni-header"
cp "$java_home/include/jni.h" "$stage/jni-include/"
cp "$java_home/include/linux/jni_md.h" "$stage/jni-include/linux/"
tmp="$(mktemp -d)"
"$java_home/bin/javac" -h "$stage/jni-header" -d "$tmp" \
  "$here/third_party/djl/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
rm -rf "$tmp"
cp -r "$here/third_party/djl" "$stage/djl"
cp "$here/run.sh" "$here/build-jni.sh" "$here/torch-env.py" "$stage/"
{
  echo "amalgam GPU check kit"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) from commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "runtime: Java $("$java_home/bin/java" -version 2>&1 | head -1), modules $modules"
  echo "run on the GPU host: bash amalgam-gpu-kit/run.sh   (docs/gpu.md)"
} > "$stage/KIT.txt"

archive="$out/amalgam-gpu-kit.tar.xz"
echo "build.sh: compressing ..." >&2
tar -C "$out/stage" -cf - amalgam-gpu-kit | xz -9 -T0 > "$archive"
size=$(stat -c %s "$archive")
echo "build.sh: $archive: $size bytes ($(awk "BEGIN {printf \"%.1f\", $size / 1048576}") MiB; limit 64 MiB), unpacked $(du -sh "$stage" | cut -f1)"
if [ "$size" -gt "$limit" ]; then
  echo "build.sh: the archive is over 64 MiB" >&2
  exit 1
fi

if [ "$selftest" = 1 ]; then
  # the unpacked kit with its own runtime, on this CPU: the CPU libtorch jar is lent from the build for this
  # run only (on the GPU host run.sh points DJL at the host's torch instead)
  check="$(mktemp -d)"
  trap 'rm -rf "$check"' EXIT
  tar -C "$check" -xJf "$archive"
  cpu_jar="$(ls "$root"/src/cli/target/lib/pytorch-native-cpu-*.jar)"
  echo "build.sh: self-test: the kit's runtime runs gpu-check --device cpu ..." >&2
  "$check/amalgam-gpu-kit/runtime/bin/java" -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
    -cp "$check/amalgam-gpu-kit/lib/*:$cpu_jar" dev.amalgam.cli.Main gpu-check --device cpu \
    --batch 2 --warmup 0 --iters 1 --layers 2 --out "$out/selftest-cpu.md"
  echo "build.sh: self-test passed; table in $out/selftest-cpu.md" >&2
fi
