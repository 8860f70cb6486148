//===- Emitter.h - token-level edits that keep every newline ----*- C++ -*-===//
//
// The Emitter renders the file back from its tokens and the gaps between
// them, with per-token edits: text inserted before or after a token, a token
// replaced or removed, or a run of tokens moved (rendered on one line
// elsewhere). Edit strings never contain a newline, and every gap keeps its
// newlines (moved runs leave theirs behind), so the output has exactly the
// input's lines: diagnostics and debug line tables stay on the user's lines.
//
// Invariants the Lower* passes rely on:
//  - Each insertion names its owner: the first token of the construct that
//    made it. On one token, Before strings render outermost owner first and
//    After strings innermost owner first, so nested constructs close in the
//    right order whatever order they were lowered in.
//  - A moved token renders, with its own edits, only where its run is
//    spliced in by a Piece; at its original place only the gap newlines stay.
//
//===----------------------------------------------------------------------===//

#ifndef CPRIME_REWRITER_EMITTER_H
#define CPRIME_REWRITER_EMITTER_H

#include "Scanner.h"

#include <string>
#include <vector>

namespace cprime {

/// Piece is literal text, or the tokens [First, Last] rendered on one line.
struct Piece {
  std::string Text;
  int First = -1;
  int Last = -1;

  Piece(std::string T) : Text(std::move(T)) {}
  Piece(const char *T) : Text(T) {}
  static Piece tokens(int First, int Last) {
    Piece P("");
    P.First = First;
    P.Last = Last;
    return P;
  }
};

/// Span ties a run of the rendered text to the input it came from. Verbatim
/// spans are bytes copied from the input (a token or a gap): offset K of the
/// span is offset K of its source range. Other spans are text the lowering
/// inserted; they point at the input range they stand for (a replaced token,
/// or the empty range before or after the token they were inserted at).
/// Report is where a diagnostic inside the span belongs: Src, except for
/// text inserted after a token (the closers `);`, `)`, `goto …; }`), which
/// belongs to the construct that inserted it, at its keyword.
struct Span {
  uint32_t Out = 0;
  uint32_t OutLength = 0;
  uint32_t Src = 0;
  uint32_t SrcLength = 0;
  bool Verbatim = false;
  uint32_t Report = 0;
};

class Emitter {
public:
  explicit Emitter(const TokenBuffer &Toks);

  void insertBefore(int Tok, Piece P, int Owner);
  void insertAfter(int Tok, Piece P, int Owner);
  void replace(int Tok, std::vector<Piece> With);
  void remove(int Tok);
  /// Marks tokens [First, Last] as moved: they render only through a
  /// Piece::tokens(First, Last) spliced in elsewhere.
  void move(int First, int Last);
  /// Drops the gap before \p Tok when it is only spaces and tabs, so that
  /// `co_await x` reads `::cprime::await(x)`. Line breaks and comments stay.
  void dropGap(int Tok);

  /// Renders the whole file. With \p Spans, also records where every byte
  /// of the result came from: the spans cover the output in order, without
  /// gaps or overlaps.
  std::string render(std::vector<Span> *Spans = nullptr) const;

private:
  struct Insertion {
    Piece P;
    int Owner;
  };
  struct Edit {
    std::vector<Insertion> Before;
    std::vector<Insertion> After;
    std::vector<Piece> Replacement;
    bool Replaced = false;
    bool Removed = false;
    bool Moved = false;
    bool DropGap = false;
  };

  void renderPiece(const Piece &P, std::string &Out) const;
  void renderAt(const Piece &P, uint32_t Src, uint32_t Len, uint32_t Report,
                std::string &Out) const;
  void renderToken(int I, std::string &Out) const;
  void renderFlat(int First, int Last, std::string &Out) const;
  void renderGap(int Tok, bool NewlinesOnly, std::string &Out) const;

  // Records Out's bytes from Mark on as one span for [Src, Src+Len),
  // reported at Report (Src when not given).
  void note(const std::string &Out, size_t Mark, uint32_t Src, uint32_t Len,
            bool Verbatim, uint32_t Report = UINT32_MAX) const;

  const TokenBuffer &Toks;
  std::vector<Edit> Edits;
  // Set only while render() records spans.
  mutable std::vector<Span> *Rec = nullptr;
};

} // namespace cprime

#endif
