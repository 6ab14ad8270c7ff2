#!/usr/bin/env bash
# The GPU check kit, on the GPU host (Python + pip torch + CUDA, no Java; docs/gpu.md):
#  (a) finds the host's libtorch through Python and checks DJL's JNI library against it with ldd -r;
#  (b) if none matches, builds libdjl_torch.so from the carried DJL v0.35.1 sources against that torch;
#  (c) runs the check program (gpu-check) on the GPU with the kit's Java runtime and writes its table
#      to $OUT/gpu-check.md when OUT is set.
#
#   bash amalgam-gpu-kit/run.sh [gpu-check options, e.g. --batch 128]
# Environment: PYTHON (default python3), OUT, DJL_CACHE_DIR (default: djl-cache inside the kit), JOBS,
# KIT_DEVICE (default gpu; cpu runs the same comparisons on the CPU, to try the kit without a GPU).
set -euo pipefail
kit="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"
log() { echo "run.sh: $*" >&2; }
if ! torch_env="$("$python" "$kit/torch-env.py")"; then
  log "$python cannot import torch; set PYTHON to a Python with torch"
  exit 2
fi
eval "$torch_env"
export PYTORCH_LIBRARY_PATH PYTORCH_VERSION PYTORCH_FLAVOR
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$kit/djl-cache}"
log "torch $PYTORCH_VERSION ($PYTORCH_FLAVOR, C++11 ABI $TORCH_CXX11_ABI) at $PYTORCH_LIBRARY_PATH; cudart: ${CUDART_DIR:-none found}"
libpath="$PYTORCH_LIBRARY_PATH${CUDART_DIR:+:$CUDART_DIR}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
api="0.35.1"
jni="$DJL_CACHE_DIR/pytorch/$PYTORCH_VERSION-$PYTORCH_FLAVOR-linux-x86_64/$api-libdjl_torch.so"

# ldd -r's complaints about a JNI library against this libtorch; empty when it matches
mismatch() { LD_LIBRARY_PATH="$libpath" ldd -r "$1" 2>&1 | grep -E "undefined symbol|not found" || true; }

# (a) a JNI already built for this torch, else the one DJL's jar carries for this exact version and flavor
if [ ! -f "$jni" ]; then
  "$python" - "$kit" "$PYTORCH_VERSION" "$PYTORCH_FLAVOR" "$jni" <<'PY'
import glob, os, sys, zipfile
kit, version, flavor, dest = sys.argv[1:]
for jar in glob.glob(os.path.join(kit, "lib", "pytorch-jni-*.jar")):
    with zipfile.ZipFile(jar) as z:
        props = z.read("jnilib/pytorch.properties").decode()
        entry = "jnilib/linux-x86_64/%s/libdjl_torch.so" % flavor
        if ("jni_version=" + version + "-") in props and entry in z.namelist():
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as f:
                f.write(z.read(entry))
            print("run.sh: took the pytorch-jni jar's JNI for %s %s" % (version, flavor), file=sys.stderr)
PY
fi
if [ -f "$jni" ]; then
  bad="$(mismatch "$jni")"
  if [ -n "$bad" ]; then
    log "$jni does not match this torch ($(echo "$bad" | wc -l) problem(s), first: $(echo "$bad" | head -1 | tr -s '\t ' ' ')); rebuilding"
    mv "$jni" "$jni.mismatch"
  else
    log "(a) JNI $jni matches (ldd -r clean)"
  fi
fi

# (b) build it from DJL's sources against the host's torch
if [ ! -f "$jni" ]; then
  log "(b) building libdjl_torch.so from DJL v$api sources against torch $PYTORCH_VERSION ..."
  JNI_INCLUDE="$kit/jni-include" JNI_HEADER="$kit/jni-header/ai_djl_pytorch_jni_PyTorchLibrary.h" \
    JVM_LIBRARY="$kit/runtime/lib/server/libjvm.so" PYTHON="$python" \
    bash "$kit/build-jni.sh" "$jni"
  bad="$(mismatch "$jni")"
  if [ -n "$bad" ]; then
    log "the JNI built from source still does not match: $(echo "$bad" | head -3 | tr '\n' ' ')"
    exit 1
  fi
  log "(b) built $jni (ldd -r clean)"
fi

# (c) the check program on the GPU
out_args=()
if [ -n "${OUT:-}" ]; then
  mkdir -p "$OUT"
  out_args=(--out "$OUT/gpu-check.md")
fi
export LD_LIBRARY_PATH="$libpath"
log "(c) gpu-check ..."
exec "$kit/runtime/bin/java" -Dai.djl.offline=true ${CUDART_DIR:+-Djna.library.path=$CUDART_DIR} \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$kit/lib/*" dev.amalgam.cli.Main gpu-check --device "${KIT_DEVICE:-gpu}" ${out_args[@]+"${out_args[@]}"} "$@"
