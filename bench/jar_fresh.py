#!/usr/bin/env python3
"""Checks that a Spring Boot executable jar holds the classes the build has compiled since.

Usage: bench/jar_fresh.py JAR   (run from the repository's root)

Compares, by CRC-32, every class file of the jar's own classes (BOOT-INF/classes, against
<module>/target/classes of the module whose target/ holds the jar) and of each nested library
built in this repository (BOOT-INF/lib/<artifact>-<version>.jar where a directory <artifact>/
with target/classes exists) with the compiled classes on disk. Prints what differs and exits 1
when anything does: a benchmark run with such a jar would measure old code (a repackaged jar is
not always rebuilt when only a dependency changed). Exits 0 when all match, or when the jar is
not a Spring Boot jar (nothing to compare).
"""
import io
import os
import re
import sys
import zipfile
import zlib


def classes_on_disk(root):
    """Class file path (relative, '/'-separated) -> CRC-32, for every class under root."""
    out = {}
    for directory, _, files in os.walk(root):
        for name in files:
            if name.endswith(".class"):
                path = os.path.join(directory, name)
                with open(path, "rb") as f:
                    out[os.path.relpath(path, root).replace(os.sep, "/")] = zlib.crc32(f.read())
    return out


def classes_in_zip(z, prefix=""):
    """Class file path (relative to prefix) -> CRC-32, for every class entry of z under prefix."""
    return {i.filename[len(prefix):]: i.CRC for i in z.infolist()
            if i.filename.startswith(prefix) and i.filename.endswith(".class")}


def differences(what, packaged, compiled):
    changed = sorted(k for k in packaged.keys() & compiled.keys() if packaged[k] != compiled[k])
    missing = sorted(compiled.keys() - packaged.keys())
    extra = sorted(packaged.keys() - compiled.keys())
    lines = []
    for label, names in (("changed", changed), ("compiled but not packaged", missing),
                         ("packaged but no longer compiled", extra)):
        if names:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            noun = "class" if len(names) == 1 else "classes"
            lines.append(f"{what}: {len(names)} {noun} {label} ({shown})")
    return lines


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    jar = sys.argv[1]
    with zipfile.ZipFile(jar) as z:
        names = z.namelist()
        if not any(n.startswith("BOOT-INF/") for n in names):
            return 0
        problems = []
        module = os.path.dirname(os.path.dirname(os.path.abspath(jar)))
        own = os.path.join(module, "target", "classes")
        if os.path.isdir(own):
            problems += differences(os.path.relpath(own), classes_in_zip(z, "BOOT-INF/classes/"),
                                    classes_on_disk(own))
        for name in names:
            m = re.fullmatch(r"BOOT-INF/lib/(.+?)-\d[^/]*\.jar", name)
            if not m or not os.path.isdir(os.path.join(m.group(1), "target", "classes")):
                continue
            with zipfile.ZipFile(io.BytesIO(z.read(name))) as nested:
                problems += differences(f"{m.group(1)} (in {os.path.basename(name)})",
                                        classes_in_zip(nested),
                                        classes_on_disk(os.path.join(m.group(1), "target", "classes")))
    if problems:
        print(f"{jar} is older than the compiled classes:", file=sys.stderr)
        for line in problems:
            print("  " + line, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
