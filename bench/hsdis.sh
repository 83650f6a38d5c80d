#!/usr/bin/env bash
# Builds a HotSpot disassembler plugin (hsdis) on the capstone library, so that JMH's perfasm
# profiler (-prof perfasm) prints instructions instead of hex. Debian's libhsdis0-fcml only
# exports the pre-JDK 9 entry point, which JDK 17 and later do not look for. Needs gcc and
# libcapstone-dev (apt-get install libcapstone-dev). Installs the plugin into the JDK of JAVA
# (default: java on the PATH) unless a directory is given, where it is only built.
# Usage: bench/hsdis.sh [dir]
# Then:  java -jar toolkit-benchmarks/target/benchmarks.jar ActorToActorBench.reactantAwaitRepeat \
#          -p length=10 -f 1 -prof "perfasm:events=cpu-clock;mergeMethods=true;drawIntraJumps=false"
# (cpu-clock: this guest has no hardware cycle counter).
set -euo pipefail
JAVA=${JAVA:-java}
out=${1:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/hsdis.c" <<'C'
/* HotSpot's decode_instructions_virtual entry point, on capstone (x86-64, AT&T syntax). */
#include <stdint.h>
#include <capstone/capstone.h>
typedef void *(*event_cb)(void *, const char *, void *);
typedef int (*printf_cb)(void *, const char *, ...);
void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer,
    uintptr_t length, event_cb event, void *event_stream, printf_cb print, void *print_stream,
    const char *options, int newline) {
  csh handle;
  cs_insn *insn;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) return NULL;
  cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
  size_t n = cs_disasm(handle, buffer, length, start_va, 0, &insn);
  for (size_t i = 0; i < n; i++) {
    event(event_stream, "insn", (void *) (uintptr_t) insn[i].address);
    print(print_stream, "%s\t%s", insn[i].mnemonic, insn[i].op_str);
    event(event_stream, "/insn", (void *) (uintptr_t) (insn[i].address + insn[i].size));
    if (newline) print(print_stream, "\n");
  }
  if (n) cs_free(insn, n);
  cs_close(&handle);
  return NULL;
}
C
gcc -O2 -shared -fPIC -o "$work/hsdis-amd64.so" "$work/hsdis.c" -lcapstone
if [ -n "$out" ]; then
  mkdir -p "$out" && cp "$work/hsdis-amd64.so" "$out/" && echo "built $out/hsdis-amd64.so"
else
  home=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')
  cp "$work/hsdis-amd64.so" "$home/lib/hsdis-amd64.so" && echo "installed $home/lib/hsdis-amd64.so"
fi
