//===- Document.cpp - one file as the editor and as clangd see it ---------===//

#include "Document.h"

#include <algorithm>

namespace cprime::clangd {

LineIndex::LineIndex(llvm::StringRef T) : Text(T) {
  Starts.push_back(0);
  for (size_t I = 0; I < T.size(); ++I)
    if (T[I] == '\n')
      Starts.push_back(I + 1);
}

// Code units of one UTF-8 sequence starting with \p Lead, in encoding E.
static int units(unsigned char Lead, Encoding E, int &Bytes) {
  Bytes = Lead < 0x80 ? 1 : Lead >= 0xF0 ? 4 : Lead >= 0xE0 ? 3 : Lead >= 0xC0 ? 2 : 1;
  if (E == Encoding::UTF8)
    return Bytes;
  if (E == Encoding::UTF16 && Bytes == 4)
    return 2;
  return 1;
}

uint32_t LineIndex::offset(Position P, Encoding E) const {
  if (P.Line < 0)
    return 0;
  if (P.Line >= lines())
    return Text.size();
  uint32_t I = Starts[P.Line];
  uint32_t LineEnd = P.Line + 1 < lines() ? Starts[P.Line + 1] - 1 : Text.size();
  for (int Col = 0; I < LineEnd && Col < P.Character;) {
    int Bytes;
    Col += units(Text[I], E, Bytes);
    I = std::min<uint32_t>(I + Bytes, LineEnd);
  }
  return I;
}

Position LineIndex::position(uint32_t Offset, Encoding E) const {
  Offset = std::min<uint32_t>(Offset, Text.size());
  auto It = std::upper_bound(Starts.begin(), Starts.end(), Offset);
  int Line = static_cast<int>(It - Starts.begin()) - 1;
  int Col = 0;
  for (uint32_t I = Starts[Line]; I < Offset;) {
    int Bytes;
    Col += units(Text[I], E, Bytes);
    I += Bytes;
  }
  return {Line, Col};
}

// Blanks line L of Text: every byte but the line break becomes a space,
// except brackets that open or close a block spanning other lines, so the
// structure around the line survives.
static void blankLine(std::string &Text, int L) {
  size_t Begin = 0;
  for (int I = 0; I < L && Begin != std::string::npos; ++I) {
    Begin = Text.find('\n', Begin);
    if (Begin != std::string::npos)
      ++Begin;
  }
  if (Begin == std::string::npos)
    return;
  size_t End = Text.find('\n', Begin);
  if (End == std::string::npos)
    End = Text.size();
  std::vector<size_t> Open;
  std::vector<bool> Keep(End - Begin, false);
  for (size_t I = Begin; I < End; ++I) {
    char C = Text[I];
    if (C == '{' || C == '(' || C == '[') {
      Open.push_back(I);
    } else if (C == '}' || C == ')' || C == ']') {
      if (Open.empty())
        Keep[I - Begin] = true;
      else
        Open.pop_back();
    }
  }
  for (size_t I : Open)
    Keep[I - Begin] = true;
  for (size_t I = Begin; I < End; ++I)
    if (!Keep[I - Begin] && Text[I] != '\r')
      Text[I] = ' ';
}

void Document::setText(std::string Text, bool Force) {
  Original = std::move(Text);
  Errors.clear();
  Blanked.clear();
  Suppress = false;
  Map = OffsetMap();
  RewriteResult R = rewrite(Original, Force);
  Enabled = R.Enabled;
  if (!Enabled) {
    Rewritten = Original;
  } else {
    Errors = R.Diags;
    std::string Work = Original;
    // Each round blanks the lines the rewriter still rejects; an error on a
    // line already blank means blanking cannot help.
    for (int Round = 0; !R.Diags.empty() && Round < 8; ++Round) {
      bool Progress = false;
      for (const Diagnostic &D : R.Diags) {
        int L = std::count(Work.begin(), Work.begin() + std::min<size_t>(D.Offset, Work.size()), '\n');
        if (blanked(L))
          continue;
        blankLine(Work, L);
        Blanked.push_back(L);
        Progress = true;
      }
      if (!Progress)
        break;
      R = rewrite(Work, /*Force=*/true);
    }
    if (R.Diags.empty()) {
      Rewritten = std::move(R.Text);
      Map = std::move(R.Map);
    } else {
      Rewritten = Original;
      Blanked.clear();
      Suppress = true;
    }
  }
  OriginalLines = LineIndex(Original);
  RewrittenLines = LineIndex(Rewritten);
}

bool Document::blanked(int L) const {
  return std::find(Blanked.begin(), Blanked.end(), L) != Blanked.end();
}

Position Document::toClangd(Position P, Encoding E, bool End) const {
  if (Map.identity())
    return P;
  return RewrittenLines.position(
      Map.toRewritten(OriginalLines.offset(P, E), End), E);
}

Position Document::toEditor(Position P, Encoding E, bool End) const {
  if (Map.identity())
    return P;
  return OriginalLines.position(
      Map.toSource(RewrittenLines.offset(P, E), End), E);
}

bool Document::inserted(Position P, Encoding E) const {
  if (Map.identity())
    return false;
  uint32_t Off = RewrittenLines.offset(P, E);
  uint32_t Src = Map.toSource(Off);
  return Map.toRewritten(Src) != Off;
}

void applyChange(std::string &Text, Position Start, Position End,
                 llvm::StringRef New, Encoding E) {
  LineIndex Lines(Text);
  uint32_t B = Lines.offset(Start, E), X = Lines.offset(End, E);
  if (X < B)
    std::swap(B, X);
  Text.replace(B, X - B, New.str());
}

} // namespace cprime::clangd
