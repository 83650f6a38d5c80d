#!/usr/bin/env python3
"""Checks that an executable jar holds the classes the build has compiled since.

Usage: bench/jar_fresh.py JAR   (from any directory: the jar lies in <module>/target/ of a module
of this repository, whose other modules are its siblings)

A Spring Boot jar: compares, by CRC-32, every class file of the jar's own classes
(BOOT-INF/classes, against <module>/target/classes) and of each nested library built in this
repository (BOOT-INF/lib/<artifact>-<version>.jar where a sibling module <artifact>/ with
target/classes exists) with the compiled classes on disk. Any other jar (a shaded one, such as
toolkit-benchmarks/target/benchmarks.jar, which holds its classes and its libraries' side by
side): compares the classes of its own module and of each sibling module whose classes it holds.
Prints what differs and exits 1 when anything does: a benchmark run with such a jar would measure
old code (a jar is not always rebuilt when only a dependency changed, and the benchmark scripts
build one only when it is missing). Exits 0 when all match, 1 too when the jar is missing.
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


def differences(what, packaged, compiled, extra_known=True):
    """What differs; extra_known=False when the jar holds other classes beside these (shaded)."""
    changed = sorted(k for k in packaged.keys() & compiled.keys() if packaged[k] != compiled[k])
    missing = sorted(compiled.keys() - packaged.keys())
    extra = sorted(packaged.keys() - compiled.keys()) if extra_known else []
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
    if not os.path.isfile(jar):
        print(f"{jar}: no such jar", file=sys.stderr)
        return 1
    module = os.path.dirname(os.path.dirname(os.path.abspath(jar)))
    root = os.path.dirname(module)

    def compiled_dir(name):
        return os.path.join(root, name, "target", "classes")

    problems = []
    with zipfile.ZipFile(jar) as z:
        names = z.namelist()
        if not any(n.startswith("BOOT-INF/") for n in names):
            # a shaded jar: its module's classes and its sibling modules' lie among its libraries'
            packaged = classes_in_zip(z)
            for name in sorted(os.listdir(root)):
                d = compiled_dir(name)
                if not os.path.isdir(d):
                    continue
                compiled = classes_on_disk(d)
                if name == os.path.basename(module) or compiled.keys() & packaged.keys():
                    problems += differences(os.path.relpath(d), packaged, compiled,
                                            extra_known=False)
        else:
            own = compiled_dir(os.path.basename(module))
            if os.path.isdir(own):
                problems += differences(os.path.relpath(own),
                                        classes_in_zip(z, "BOOT-INF/classes/"),
                                        classes_on_disk(own))
            for name in names:
                m = re.fullmatch(r"BOOT-INF/lib/(.+?)-\d[^/]*\.jar", name)
                if not m or not os.path.isdir(compiled_dir(m.group(1))):
                    continue
                with zipfile.ZipFile(io.BytesIO(z.read(name))) as nested:
                    problems += differences(f"{m.group(1)} (in {os.path.basename(name)})",
                                            classes_in_zip(nested),
                                            classes_on_disk(compiled_dir(m.group(1))))
    if problems:
        print(f"{jar} is older than the compiled classes:", file=sys.stderr)
        for line in problems:
            print("  " + line, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
