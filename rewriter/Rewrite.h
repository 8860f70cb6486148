//===- Rewrite.h - the rewriter's one entry point ---------------*- C++ -*-===//
//
// rewrite() is the whole pipeline: opt-in check, Scanner, Parser, Lower*,
// Emitter. The Clang plugin and cprime-rewrite both call it and nothing else,
// so they share every line of rewriting code.
//
//===----------------------------------------------------------------------===//

#ifndef CPRIME_REWRITER_REWRITE_H
#define CPRIME_REWRITER_REWRITE_H

#include "Diagnostics.h"
#include "Emitter.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace cprime {

/// OffsetMap translates byte offsets between the input and the rewritten
/// text, for tools that show the user's file while a compiler or clangd works
/// on the rewritten one (the plugin's diagnostics, cprime-clangd). Bytes
/// copied from the input map exactly. An offset inside text the lowering
/// inserted maps to the token it replaced or was inserted before; inside a
/// closer inserted after a token (`);`, `)`), to the keyword of the construct
/// that inserted it. With \p RangeEnd it maps to the end of the input range
/// the text stands for, so a range over inserted text covers the construct.
/// A default-constructed map is the identity.
class OffsetMap {
public:
  OffsetMap() = default;
  OffsetMap(std::vector<Span> Spans, uint32_t SourceSize, uint32_t OutSize);

  /// The input offset of rewritten offset \p Out.
  uint32_t toSource(uint32_t Out, bool RangeEnd = false) const;
  /// The input offset where the rewritten bytes [Out, Out+Len) were copied
  /// from, if they all were, from one run of the input; for Len 0, where an
  /// insertion at Out belongs, if a byte next to Out was copied. Edits (a
  /// compiler's fix-its) carry over to the input exactly when this is set.
  std::optional<uint32_t> exactSource(uint32_t Out, uint32_t Len) const;
  /// The rewritten offset of input offset \p Src.
  uint32_t toRewritten(uint32_t Src, bool RangeEnd = false) const;
  bool identity() const { return Spans.empty(); }
  /// The spans, in rewritten order (empty for the identity).
  const std::vector<Span> &spans() const { return Spans; }

private:
  std::vector<Span> Spans;      // by Out: they tile the rewritten text
  std::vector<uint32_t> BySrc;  // indexes of Spans, by Src then Out
  uint32_t SourceSize = 0;
  uint32_t OutSize = 0;
};

struct RewriteResult {
  /// The file opts in (docs/using.md). When false nothing else is set.
  bool Enabled = false;
  /// The rewritten text; the same number of lines as the input. Equal to
  /// the input when there are diagnostics.
  std::string Text;
  /// Errors at byte offsets of the input.
  DiagnosticList Diags;
  /// Offsets between the input and Text (the identity when nothing was
  /// rewritten).
  OffsetMap Map;
};

/// rewrite returns the rewritten form of \p Source. With \p Force it skips
/// the opt-in check (cprime-rewrite --force, the fuzzer).
RewriteResult rewrite(llvm::StringRef Source, bool Force = false);

} // namespace cprime

#endif
