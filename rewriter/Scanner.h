//===- Scanner.h - raw tokens of one CPrime-enabled file --------*- C++ -*-===//
//
// The Scanner runs clang::Lexer in raw mode over one file's bytes: no
// preprocessing, no includes, so a keyword counts only where it appears
// literally in the file (a `#define` body included). Comments and whitespace
// are not tokens; they stay in the gaps between tokens, which the Emitter
// copies byte for byte.
//
//===----------------------------------------------------------------------===//

#ifndef CPRIME_REWRITER_SCANNER_H
#define CPRIME_REWRITER_SCANNER_H

#include "clang/Basic/TokenKinds.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cprime {

struct Token {
  uint32_t Offset = 0;
  uint32_t Length = 0;
  clang::tok::TokenKind Kind = clang::tok::unknown;
  bool StartOfLine = false;
  // Part of a preprocessor directive line (`#include`, `#define` body, ...).
  bool InDirective = false;
  // Index of the matching bracket for ( ) [ ] { }, or -1 when unbalanced.
  // Directive lines are matched on their own, separately from the code.
  int Match = -1;
};

/// TokenBuffer holds the source text and its raw tokens. The source is owned
/// (a NUL-terminated copy, as clang::Lexer requires).
class TokenBuffer {
public:
  explicit TokenBuffer(llvm::StringRef Source);

  llvm::StringRef source() const { return Source; }
  const std::vector<Token> &tokens() const { return Toks; }
  int size() const { return static_cast<int>(Toks.size()); }
  const Token &operator[](int I) const { return Toks[I]; }

  llvm::StringRef text(int I) const {
    return llvm::StringRef(Source).substr(Toks[I].Offset, Toks[I].Length);
  }
  uint32_t endOffset(int I) const { return Toks[I].Offset + Toks[I].Length; }
  bool is(int I, clang::tok::TokenKind K) const {
    return I >= 0 && I < size() && Toks[I].Kind == K;
  }
  /// True when token I is the identifier (or keyword spelling) \p Word.
  bool isWord(int I, llvm::StringRef Word) const {
    return is(I, clang::tok::raw_identifier) && text(I) == Word;
  }
  bool isIdent(int I) const { return is(I, clang::tok::raw_identifier); }
  /// True when the gap between tokens I-1 and I is empty (`=>` is `=` `>`).
  bool adjacent(int I) const {
    return I > 0 && I < size() && endOffset(I - 1) == Toks[I].Offset;
  }
  bool isOpen(int I) const;
  bool isClose(int I) const;

private:
  std::string Source;
  std::vector<Token> Toks;
};

/// isCPrimeEnabled reports whether the file itself opts in (docs/using.md): a line
/// `#include <cprime/…>`, `#include "cprime/…"` or `#pragma cprime`. It is a
/// plain byte scan, cheap enough to run on every file Clang opens.
bool isCPrimeEnabled(llvm::StringRef Source);

} // namespace cprime

#endif
