#!/usr/bin/env python3
"""Names the objects lying around an address in an HPROF heap dump (HotSpot writes each object's
address as its id). For the cell-placement diagnostic: FireAndForgetBench with
-jvmArgsAppend "-Dbench.cellPlacement=true -Dbench.heapDump=/tmp/ff" prints the one actor's cell
address and writes /tmp/ff-<pid>.hprof (every object, no collection first); then
  bench/heap_neighbours.py /tmp/ff-<pid>.hprof 0x<address> [bytes=256]
lists every object whose address lies within that many bytes of it, with its class, its distance
from the address and its extent (up to the next object's address, so padding and fillers count).
"""
import struct
import sys

TYPE_SIZES = {4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
PRIM_NAMES = {4: "boolean[]", 5: "char[]", 6: "float[]", 7: "double[]", 8: "byte[]",
              9: "short[]", 10: "int[]", 11: "long[]"}


def main():
    path, address = sys.argv[1], int(sys.argv[2], 0)
    window = int(sys.argv[3]) if len(sys.argv) > 3 else 256
    lo, hi = address - window, address + window
    strings, class_names, found = {}, {}, []
    every_id = []  # addresses just past the window too, to size the last object in it
    with open(path, "rb") as f:
        header = b""
        while not header.endswith(b"\0"):
            header += f.read(1)
        id_size = struct.unpack(">I", f.read(4))[0]
        f.read(8)
        id_fmt = ">Q" if id_size == 8 else ">I"

        def read_id(buf, pos):
            return struct.unpack_from(id_fmt, buf, pos)[0], pos + id_size

        while True:
            head = f.read(9)
            if len(head) < 9:
                break
            tag, _, length = struct.unpack(">BII", head)
            body = f.read(length)
            if tag == 0x01:
                sid, _ = read_id(body, 0)
                strings[sid] = body[id_size:].decode("utf-8", "replace")
            elif tag == 0x02:
                cid, _ = read_id(body, 4)
                nid, _ = read_id(body, 8 + id_size)
                class_names[cid] = strings.get(nid, "?")
            elif tag in (0x0C, 0x1C):
                scan_segment(body, id_size, read_id, lo, hi, found, every_id)
    every_id.sort()
    found.sort()
    print(f"objects within {window} bytes of 0x{address:x}:")
    for oid, kind, detail in found:
        nxt = next((n for n in every_id if n > oid), None)
        extent = f"{nxt - oid} bytes" if nxt is not None else "?"
        name = class_names.get(detail, detail) if kind == "instance" else kind
        if kind == "object[]":
            name = class_names.get(detail, "?") or "Object[]"
        print(f"  {oid - address:+6d}  0x{oid:x}  {extent:>10}  {name}")


def scan_segment(body, id_size, read_id, lo, hi, found, every_id):
    pos, end = 0, len(body)
    wide = hi + 4096
    while pos < end:
        sub = body[pos]
        pos += 1
        if sub == 0xFF or sub == 0x05 or sub == 0x07:
            pos += id_size
        elif sub == 0x01:
            pos += 2 * id_size
        elif sub in (0x02, 0x03, 0x08):
            pos += id_size + 8
        elif sub in (0x04, 0x06):
            pos += id_size + 4
        elif sub == 0x20:
            pos += 7 * id_size + 4
            pos += 4  # instance size
            (cp,) = struct.unpack_from(">H", body, pos)
            pos += 2
            for _ in range(cp):
                pos += 2
                t = body[pos]
                pos += 1 + (id_size if t == 2 else TYPE_SIZES[t])
            (statics,) = struct.unpack_from(">H", body, pos)
            pos += 2
            for _ in range(statics):
                pos += id_size
                t = body[pos]
                pos += 1 + (id_size if t == 2 else TYPE_SIZES[t])
            (fields,) = struct.unpack_from(">H", body, pos)
            pos += 2 + fields * (id_size + 1)
        elif sub == 0x21:
            oid, p = read_id(body, pos)
            cid, p = read_id(body, p + 4)
            (n,) = struct.unpack_from(">I", body, p)
            pos = p + 4 + n
            note(oid, "instance", cid, lo, hi, wide, found, every_id)
        elif sub == 0x22:
            oid, p = read_id(body, pos)
            (n,) = struct.unpack_from(">I", body, p + 4)
            cid, p = read_id(body, p + 8)
            pos = p + n * id_size
            note(oid, "object[]", cid, lo, hi, wide, found, every_id)
        elif sub == 0x23:
            oid, p = read_id(body, pos)
            (n,) = struct.unpack_from(">I", body, p + 4)
            t = body[p + 8]
            pos = p + 9 + n * TYPE_SIZES[t]
            note(oid, PRIM_NAMES[t], None, lo, hi, wide, found, every_id)
        else:
            raise SystemExit(f"unknown heap dump sub-record 0x{sub:x} at {pos - 1}")


def note(oid, kind, detail, lo, hi, wide, found, every_id):
    if lo <= oid <= wide:
        every_id.append(oid)
        if oid <= hi:
            found.append((oid, kind, detail))


if __name__ == "__main__":
    main()
