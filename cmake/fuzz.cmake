# EL_FUZZ: libFuzzer targets (tests/fuzz). Every library is instrumented for
# coverage-guided fuzzing and built with AddressSanitizer and UBSan; only the
# fuzz executables link libFuzzer itself (-fsanitize=fuzzer, in
# tests/fuzz/CMakeLists.txt). clang only: gcc has no libFuzzer. The normal
# build never needs clang: there the same targets build as replay tests.
if(EL_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "EL_FUZZ=ON needs clang (configure with CC=clang)")
  endif()
  if(EL_SANITIZE)
    message(FATAL_ERROR "EL_FUZZ brings its own sanitizers; leave EL_SANITIZE off")
  endif()
  set(EL_FUZZ_SAN -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
  add_compile_options(-fsanitize=fuzzer-no-link ${EL_FUZZ_SAN} -g)
  add_link_options(${EL_FUZZ_SAN})
endif()
