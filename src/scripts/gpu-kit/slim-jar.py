#!/usr/bin/env python3
"""Rewrites jars for the GPU check kit (docs/gpu.md): native libraries for other platforms than
linux-x86_64 are dropped (DJL's jars carry macOS, Windows and aarch64 builds too), and every entry is
stored uncompressed, so that xz, which compresses the whole archive, sees the raw class files (a tar of
deflated jars hardly shrinks).

    slim-jar.py JAR...      (each rewritten in place)
"""
import os
import re
import sys
import zipfile

OTHER_PLATFORM = re.compile(r"^(native/lib|jnilib)/(?!linux-x86_64/)[a-z0-9_]+-[a-z0-9_]+/")

for jar in sys.argv[1:]:
    tmp = jar + ".tmp"
    with zipfile.ZipFile(jar) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            if OTHER_PLATFORM.match(info.filename):
                continue
            out = zipfile.ZipInfo(info.filename, info.date_time)
            out.external_attr = info.external_attr
            out.compress_type = zipfile.ZIP_STORED
            dst.writestr(out, src.read(info.filename))
    os.replace(tmp, jar)
