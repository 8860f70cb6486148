# pkg-config files, installed to <libdir>/pkgconfig. `-l<lib>` is enough to
# link: lib<lib>.so is a linker script that adds -lboost_context
# -lboost_stacktrace_backtrace -lpthread
# (runtime/CMakeLists.txt); Libs.private repeats them for --static links,
# which take the archive directly.
# The prefix written into them is the one the files are installed to, known
# only at install time (`cmake --install --prefix P`, or /usr under cpack):
# configure_file fills in everything else and leaves @PC_INSTALL_PREFIX@
# for the install step.
set(PC_INSTALL_PREFIX "@PC_INSTALL_PREFIX@")

# cprime_pc(file name lib sanitizer-flags plugin? description)
function(cprime_pc file name lib san with_plugin description)
  set(PC_NAME ${name})
  set(PC_LIB ${lib})
  set(PC_DESCRIPTION "${description}")
  set(PC_SUMMARY "${file}.pc: ${description}")
  set(PC_CFLAGS "-I\${includedir}")
  if(with_plugin)
    set(PC_CFLAGS "-fplugin=\${plugin} ${PC_CFLAGS}")
  endif()
  set(PC_SANLIBS "")
  if(san)
    set(PC_CFLAGS "${PC_CFLAGS} ${san}")
    set(PC_SANLIBS " ${san}")
  endif()
  set(in ${PROJECT_BINARY_DIR}/pkgconfig/${file}.pc.in)
  set(out ${PROJECT_BINARY_DIR}/pkgconfig/install/${file}.pc)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/cprime.pc.in ${in} @ONLY)
  install(CODE "
    set(PC_INSTALL_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
    configure_file(\"${in}\" \"${out}\" @ONLY)
    file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig\"
         TYPE FILE FILES \"${out}\")")
endfunction()

cprime_pc(cprime-runtime "CPrime runtime" cprime_rt "" OFF
  "CPrime's M:N runtime alone, for any C++20 compiler (with cprime-rewrite)")
if(CPRIME_BUILD_PLUGIN)
  cprime_pc(cprime CPrime cprime_rt "" ON
    "Go-style concurrency for C++: the clang++-${CPRIME_CLANG_MAJOR} plugin and the runtime")
endif()
if(CPRIME_SANITIZER_RUNTIMES AND CPRIME_BUILD_PLUGIN)
  cprime_pc(cprime-tsan "CPrime (ThreadSanitizer)" cprime_rt_tsan "-fsanitize=thread" ON
    "CPrime plugin and runtime for -fsanitize=thread builds (clang++-${CPRIME_CLANG_MAJOR})")
  cprime_pc(cprime-asan "CPrime (AddressSanitizer)" cprime_rt_asan
    "-fsanitize=address -fno-omit-frame-pointer" ON
    "CPrime plugin and runtime for -fsanitize=address builds (clang++-${CPRIME_CLANG_MAJOR})")
endif()
