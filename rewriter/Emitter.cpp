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

void Emitter::note(const std::string &Out, size_t Mark, uint32_t Src,
                   uint32_t Len, bool Verbatim, uint32_t Report) const {
  if (!Rec || Out.size() == Mark)
    return;
  Rec->push_back(Span{static_cast<uint32_t>(Mark),
                      static_cast<uint32_t>(Out.size() - Mark), Src, Len,
                      Verbatim, Report == UINT32_MAX ? Src : Report});
}

// Inserted text is recorded against the token it sits at: before it, in
// its place, or after it. A Piece that splices moved tokens records their own
// verbatim spans instead.
void Emitter::renderAt(const Piece &P, uint32_t Src, uint32_t Len,
                       uint32_t Report, std::string &Out) const {
  size_t Mark = Out.size();
  renderPiece(P, Out);
  if (P.First < 0)
    note(Out, Mark, Src, Len, false, Report);
}

void Emitter::renderToken(int I, std::string &Out) const {
  const Edit &E = Edits[I];
  const Token &T = Toks[I];
  for (const Insertion &In : E.Before)
    renderAt(In.P, T.Offset, 0, T.Offset, Out);
  if (E.Replaced) {
    for (const Piece &P : E.Replacement)
      renderAt(P, T.Offset, T.Length, T.Offset, Out);
  } else if (!E.Removed) {
    size_t Mark = Out.size();
    Out += Toks.text(I);
    note(Out, Mark, T.Offset, T.Length, true);
  }
  // A closer has nothing of the user's to stand for: it is the construct's,
  // so a diagnostic inside it is reported at the construct's keyword.
  for (const Insertion &In : E.After)
    renderAt(In.P, T.Offset + T.Length, 0, Toks[In.Owner].Offset, Out);
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
  size_t Mark = Out.size();
  if (!NewlinesOnly) {
    Out += Gap;
    note(Out, Mark, Begin, End - Begin, true);
    return;
  }
  // Only the line breaks stay: they stand for the whole gap.
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
  note(Out, Mark, Begin, End - Begin, false);
}

void Emitter::renderFlat(int First, int Last, std::string &Out) const {
  for (int I = First; I <= Last; ++I) {
    if (I > First && Toks.endOffset(I - 1) != Toks[I].Offset &&
        !Edits[I].DropGap) {
      Out += ' ';
      note(Out, Out.size() - 1, Toks.endOffset(I - 1),
           Toks[I].Offset - Toks.endOffset(I - 1), false);
    }
    renderToken(I, Out);
  }
}

std::string Emitter::render(std::vector<Span> *Spans) const {
  Rec = Spans;
  struct Reset {
    std::vector<Span> *&R;
    ~Reset() { R = nullptr; }
  } ResetRec{Rec};
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
