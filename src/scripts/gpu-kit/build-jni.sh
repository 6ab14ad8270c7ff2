#!/usr/bin/env bash
# Builds DJL 0.35.1's JNI library (libdjl_torch.so) from the sources in third_party/djl against an installed
# torch, for torch versions DJL ships no JNI for (docs/gpu.md#building-the-jni).
#
#   build-jni.sh OUT_FILE            torch from `python3` (or $PYTHON); writes OUT_FILE
#
# Environment (each found by itself when unset):
#   TORCH_CMAKE_PREFIX_PATH  torch's cmake folder (python: torch.utils.cmake_prefix_path)
#   TORCH_CXX11_ABI          0 or 1 (python: torch._C._GLIBCXX_USE_CXX11_ABI)
#   PYTORCH_FLAVOR           cpu or cuXYZ; cu* builds with -DUSE_CUDA=1 (needs nvcc, as torch's cmake does)
#   PYTORCH_VERSION          1.13.x–2.1.x build with -DPT_VERSION=V1_13_X, as DJL's build.sh does
#   JNI_INCLUDE              folder with jni.h and linux/jni_md.h (the kit carries them; else $JAVA_HOME/include)
#   JNI_HEADER               ai_djl_pytorch_jni_PyTorchLibrary.h (the kit carries it; else javac -h makes it)
#   JVM_LIBRARY              a libjvm.so, only for CMake's FindJNI (the kit's runtime has one)
#   JOBS                     parallel compile jobs (default: nproc)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: build-jni.sh OUT_FILE}"
src="$here/third_party/djl/engines/pytorch/pytorch-native"
[ -d "$src" ] || src="$here/djl/engines/pytorch/pytorch-native"   # layout inside the kit archive
if [ -z "${TORCH_CMAKE_PREFIX_PATH:-}" ] || [ -z "${TORCH_CXX11_ABI:-}" ] || [ -z "${PYTORCH_FLAVOR:-}" ]; then
  eval "$("${PYTHON:-python3}" "$here/torch-env.py")"
fi
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac || command -v java || echo /nonexistent/bin/java)")")")}"
jni_include="${JNI_INCLUDE:-$java_home/include}"
jvm="${JVM_LIBRARY:-$java_home/lib/server/libjvm.so}"
for f in "$jni_include/jni.h" "$jni_include/linux/jni_md.h" "$jvm"; do
  [ -f "$f" ] || { echo "build-jni: $f not found (set JNI_INCLUDE / JVM_LIBRARY, docs/gpu.md)" >&2; exit 2; }
done
# CMakeLists.txt adds <source>/build/include (DJL's build.sh puts the javac -h header there)
mkdir -p "$src/build/include"
header="$src/build/include/ai_djl_pytorch_jni_PyTorchLibrary.h"
if [ -n "${JNI_HEADER:-}" ]; then
  cp "$JNI_HEADER" "$header"
elif [ ! -f "$header" ]; then
  tmp="$(mktemp -d)"
  javac -h "$src/build/include" -d "$tmp" \
    "$here/third_party/djl/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
  rm -rf "$tmp"
fi
if [ -z "${PT_VERSION:-}" ]; then
  case "${PYTORCH_VERSION:-}" in 1.13.*|2.0.*|2.1.*) PT_VERSION=V1_13_X ;; esac   # as DJL's build.sh
fi
use_cuda=""
case "$PYTORCH_FLAVOR" in cu*) use_cuda=1 ;; esac
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "build-jni: cmake (torch at $TORCH_CMAKE_PREFIX_PATH, ABI $TORCH_CXX11_ABI, flavor $PYTORCH_FLAVOR) ..." >&2
# The flags docs/gpu.md#building-the-jni lists; FindJNI gets the carried headers and a libjvm, AWT is not needed.
cmake -S "$src" -B "$work" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$TORCH_CMAKE_PREFIX_PATH" \
  -DCMAKE_CXX_FLAGS="-D_GLIBCXX_USE_CXX11_ABI=$TORCH_CXX11_ABI" \
  -DJAVA_INCLUDE_PATH="$jni_include" -DJAVA_INCLUDE_PATH2="$jni_include/linux" -DJAVA_JVM_LIBRARY="$jvm" \
  -DJAVA_AWT_INCLUDE_PATH=NotNeeded -DJAVA_AWT_LIBRARY=NotNeeded \
  ${PT_VERSION:+-DPT_VERSION="$PT_VERSION"} ${use_cuda:+-DUSE_CUDA=1} >&2
cmake --build "$work" --config Release -- -j "${JOBS:-$(nproc)}" >&2
if [ -n "$use_cuda" ]; then
  # as DJL's build.sh: link without a fixed libcudart/libnvrtc path, so torch's own copies serve at run time
  (cd "$work" && sed -i -r "s/\/usr\/local\/cuda(.{5})?\/lib64\/lib(cudart|nvrtc).so//g" CMakeFiles/djl_torch.dir/link.txt \
    && rm -f libdjl_torch.so && bash CMakeFiles/djl_torch.dir/link.txt)
fi
mkdir -p "$(dirname "$out")"
cp "$work/libdjl_torch.so" "$out"
echo "build-jni: wrote $out" >&2
