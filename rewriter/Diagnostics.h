//===- Diagnostics.h - CPrime rewriter diagnostics --------------*- C++ -*-===//

#ifndef CPRIME_REWRITER_DIAGNOSTICS_H
#define CPRIME_REWRITER_DIAGNOSTICS_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <vector>

namespace cprime {

enum class DiagID {
#define CPRIME_DIAG(Name, Message) Name,
#include "Diagnostics.def"
};

/// diagMessage returns the Clang-style message of \p ID.
llvm::StringRef diagMessage(DiagID ID);

/// Diagnostic is an error at a byte offset of the original file.
struct Diagnostic {
  DiagID ID;
  uint32_t Offset;
};

using DiagnosticList = std::vector<Diagnostic>;

} // namespace cprime

#endif
