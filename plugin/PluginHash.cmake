# cmake -DIN=<real plugin> -DOUT=<header> -P PluginHash.cmake: writes the real
# plugin's SHA-256 into a header compiled into libcprime.so (ClangGuard.cpp).
file(SHA256 "${IN}" sha)
file(WRITE "${OUT}" "#define CPRIME_REAL_PLUGIN_SHA256 \"${sha}\"\n")
