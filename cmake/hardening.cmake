# Hardened optimised builds: edgelog parses bytes from the internet, so
# Release, RelWithDebInfo and MinSizeRel get the usual Debian hardening:
# _FORTIFY_SOURCE=2 (checked buffer functions; it needs optimisation, so not
# in Debug), a stack protector, a position-independent executable, and
# RELRO with BIND_NOW (the GOT read-only once loaded). The ctest
# hardening_release (tests/check_hardening.sh) reads them from the binary.
option(EL_HARDEN "Hardening flags in optimised builds" ON)
set(EL_HARDENED OFF)
if(EL_HARDEN AND CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo|MinSizeRel)$")
  set(EL_HARDENED ON)
  include(CheckPIESupported)
  check_pie_supported()
  set(CMAKE_POSITION_INDEPENDENT_CODE ON)
  add_compile_options(-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2 -fstack-protector-strong)
  add_link_options(-Wl,-z,relro -Wl,-z,now)
endif()
message(STATUS "edgelog: hardened build: ${EL_HARDENED}")
