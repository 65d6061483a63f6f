#!/bin/sh
# check_hardening.sh BINARY: the hardening a release build promises
# (cmake/hardening.cmake), read from the ELF file: a position-independent
# executable (type DYN with the PIE flag), RELRO (a GNU_RELRO segment),
# BIND_NOW, a stack protector and fortified libc calls in use.
set -u
bin=$1
command -v readelf > /dev/null || { echo "readelf not found"; exit 77; }
fail=0
check() {
    if [ "$2" = yes ]; then echo "ok: $1"; else echo "MISSING: $1"; fail=1; fi
}
h=$(readelf -h "$bin"); d=$(readelf -d "$bin"); l=$(readelf -lW "$bin"); s=$(readelf -sW --dyn-syms "$bin")
echo "$h" | grep -q 'Type: *DYN' && echo "$d" | grep -q 'FLAGS_1.*PIE' && pie=yes || pie=no
check "PIE (position-independent executable)" $pie
echo "$l" | grep -q GNU_RELRO && relro=yes || relro=no
check "RELRO" $relro
echo "$d" | grep -Eq 'BIND_NOW|FLAGS.*NOW' && now=yes || now=no
check "BIND_NOW (full RELRO)" $now
echo "$s" | grep -q '__stack_chk_fail' && ssp=yes || ssp=no
check "stack protector (__stack_chk_fail)" $ssp
echo "$s" | grep -q '__[a-z]*_chk@' && fort=yes || fort=no
check "_FORTIFY_SOURCE (__*_chk calls)" $fort
exit $fail
