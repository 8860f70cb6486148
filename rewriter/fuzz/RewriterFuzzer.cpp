//===- RewriterFuzzer.cpp - libFuzzer target for the CPrime rewriter ------===//
//
// Any bytes: the rewriter must not crash, hang or break its line invariant.
// The opt-in check is skipped (Force) so every input reaches the Parser.
//
//===----------------------------------------------------------------------===//

#include "Rewrite.h"

#include <algorithm>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Input(reinterpret_cast<const char *>(Data), Size);
  cprime::RewriteResult R = cprime::rewrite(Input, /*Force=*/true);
  bool Internal = false;
  for (const cprime::Diagnostic &D : R.Diags) {
    if (D.Offset > Size)
      std::abort();
    Internal |= D.ID == cprime::DiagID::InternalLineCount;
  }
  if (Internal ||
      std::count(R.Text.begin(), R.Text.end(), '\n') !=
          std::count(Input.begin(), Input.end(), '\n'))
    std::abort();
  // Same input, same output.
  if (cprime::rewrite(Input, true).Text != R.Text)
    std::abort();
  return 0;
}
