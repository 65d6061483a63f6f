# Strict warnings for every edgelog target. EL_WERROR (ON in CI) makes them fatal.
set(EL_WARNINGS
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wformat=2 -Wvla -Wcast-qual -Wpointer-arith -Wundef -Wwrite-strings)
if(EL_WERROR)
  list(APPEND EL_WARNINGS -Werror)
endif()
add_compile_options(${EL_WARNINGS})
