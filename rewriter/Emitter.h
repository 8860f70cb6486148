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

  /// Renders the whole file.
  std::string render() const;

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
  void renderPieces(const std::vector<Piece> &Ps, std::string &Out) const;
  void renderInsertions(const std::vector<Insertion> &Is,
                        std::string &Out) const;
  void renderToken(int I, std::string &Out) const;
  void renderFlat(int First, int Last, std::string &Out) const;
  void renderGap(int Tok, bool NewlinesOnly, std::string &Out) const;

  const TokenBuffer &Toks;
  std::vector<Edit> Edits;
};

} // namespace cprime

#endif
