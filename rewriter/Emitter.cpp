//===- Emitter.cpp - token-level edits that keep every newline ------------===//

#include "Emitter.h"

#include <algorithm>

namespace cprime {

Emitter::Emitter(const TokenBuffer &T) : Toks(T), Edits(T.size()) {}

void Emitter::insertBefore(int Tok, Piece P, int Owner) {
  auto &Is = Edits[Tok].Before;
  auto It = std::upper_bound(
      Is.begin(), Is.end(), Owner,
      [](int O, const Insertion &I) { return O < I.Owner; });
  Is.insert(It, Insertion{std::move(P), Owner});
}

void Emitter::insertAfter(int Tok, Piece P, int Owner) {
  auto &Is = Edits[Tok].After;
  auto It = std::upper_bound(
      Is.begin(), Is.end(), Owner,
      [](int O, const Insertion &I) { return O > I.Owner; });
  Is.insert(It, Insertion{std::move(P), Owner});
}

void Emitter::replace(int Tok, std::vector<Piece> With) {
  Edits[Tok].Replacement = std::move(With);
  Edits[Tok].Replaced = true;
}

void Emitter::remove(int Tok) { Edits[Tok].Removed = true; }

void Emitter::move(int First, int Last) {
  for (int I = First; I <= Last; ++I)
    Edits[I].Moved = true;
}

void Emitter::dropGap(int Tok) {
  if (Tok >= 0 && Tok < Toks.size())
    Edits[Tok].DropGap = true;
}

void Emitter::renderPiece(const Piece &P, std::string &Out) const {
  if (P.First >= 0)
    renderFlat(P.First, P.Last, Out);
  else
    Out += P.Text;
}

void Emitter::renderPieces(const std::vector<Piece> &Ps,
                           std::string &Out) const {
  for (const Piece &P : Ps)
    renderPiece(P, Out);
}

void Emitter::renderInsertions(const std::vector<Insertion> &Is,
                               std::string &Out) const {
  for (const Insertion &I : Is)
    renderPiece(I.P, Out);
}

void Emitter::renderToken(int I, std::string &Out) const {
  const Edit &E = Edits[I];
  renderInsertions(E.Before, Out);
  if (E.Replaced)
    renderPieces(E.Replacement, Out);
  else if (!E.Removed)
    Out += Toks.text(I);
  renderInsertions(E.After, Out);
}

// Gap text between tokens. A gap inside a moved run keeps only its line
// breaks; a backslash-newline stays one, so a `#define` body still continues.
void Emitter::renderGap(int Tok, bool NewlinesOnly, std::string &Out) const {
  uint32_t Begin = Tok > 0 ? Toks.endOffset(Tok - 1) : 0;
  uint32_t End = Tok < Toks.size() ? Toks[Tok].Offset
                                   : static_cast<uint32_t>(Toks.source().size());
  llvm::StringRef Gap = Toks.source().slice(Begin, End);
  if (Tok < Toks.size() && Edits[Tok].DropGap &&
      Gap.find_first_not_of(" \t") == llvm::StringRef::npos)
    return;
  if (!NewlinesOnly) {
    Out += Gap;
    return;
  }
  for (size_t I = 0; I < Gap.size(); ++I) {
    if (Gap[I] != '\n')
      continue;
    size_t J = I;
    if (J > 0 && Gap[J - 1] == '\r')
      --J;
    bool Continued = false;
    for (size_t K = J; K > 0; --K) {
      char C = Gap[K - 1];
      if (C == ' ' || C == '\t')
        continue;
      Continued = C == '\\';
      break;
    }
    if (Continued)
      Out += '\\';
    if (J < I)
      Out += '\r';
    Out += '\n';
  }
}

void Emitter::renderFlat(int First, int Last, std::string &Out) const {
  for (int I = First; I <= Last; ++I) {
    if (I > First && Toks.endOffset(I - 1) != Toks[I].Offset &&
        !Edits[I].DropGap)
      Out += ' ';
    renderToken(I, Out);
  }
}

std::string Emitter::render() const {
  std::string Out;
  Out.reserve(Toks.source().size() + Toks.source().size() / 8);
  int N = Toks.size();
  for (int I = 0; I < N; ++I) {
    bool InMovedRun = I > 0 && Edits[I].Moved && Edits[I - 1].Moved;
    renderGap(I, InMovedRun, Out);
    if (!Edits[I].Moved)
      renderToken(I, Out);
  }
  renderGap(N, false, Out);
  return Out;
}

} // namespace cprime
