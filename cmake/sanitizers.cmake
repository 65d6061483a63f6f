# EL_SANITIZE: AddressSanitizer + UndefinedBehaviorSanitizer for the test build.
# UBSan is made fatal so a finding fails the test instead of scrolling past.
if(EL_SANITIZE)
  set(EL_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
  add_compile_options(${EL_SAN_FLAGS})
  add_link_options(${EL_SAN_FLAGS})
endif()
