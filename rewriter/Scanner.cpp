//===- Scanner.cpp - raw tokens of one CPrime-enabled file ----------------===//

#include "Scanner.h"

#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceLocation.h"
#include "clang/Lex/Lexer.h"

#include <cstring>

using namespace clang;

namespace cprime {

namespace {

LangOptions rawLangOptions() {
  LangOptions LO;
  LO.CPlusPlus = LO.CPlusPlus11 = LO.CPlusPlus14 = LO.CPlusPlus17 = 1;
  LO.CPlusPlus20 = LO.CPlusPlus23 = 1;
  LO.LineComment = 1;
  LO.Digraphs = 1;
  LO.Bool = 1;
  LO.RawStringLiterals = 1;
  return LO;
}

// Matches brackets of tokens [Begin, End) with one stack. A closer that does
// not match the innermost opener is left unmatched (Match == -1), and so are
// openers still open at the end: constructs that need them diagnose it.
void matchBrackets(std::vector<Token> &Toks, int Begin, int End) {
  std::vector<int> Stack;
  for (int I = Begin; I < End; ++I) {
    tok::TokenKind K = Toks[I].Kind;
    if (K == tok::l_paren || K == tok::l_square || K == tok::l_brace) {
      Stack.push_back(I);
      continue;
    }
    tok::TokenKind Want;
    if (K == tok::r_paren)
      Want = tok::l_paren;
    else if (K == tok::r_square)
      Want = tok::l_square;
    else if (K == tok::r_brace)
      Want = tok::l_brace;
    else
      continue;
    // Search down the stack so one stray closer does not unbalance the rest.
    for (int S = static_cast<int>(Stack.size()) - 1; S >= 0; --S) {
      if (Toks[Stack[S]].Kind != Want)
        continue;
      Toks[Stack[S]].Match = I;
      Toks[I].Match = Stack[S];
      Stack.resize(S);
      break;
    }
  }
}

bool isSpace(char C) { return C == ' ' || C == '\t' || C == '\v' || C == '\f'; }

} // namespace

TokenBuffer::TokenBuffer(llvm::StringRef Src) : Source(Src.str()) {
  static const LangOptions LO = rawLangOptions();
  const char *Begin = Source.c_str();
  // FileLoc 0 makes every token's raw location encoding its byte offset.
  Lexer L(SourceLocation(), LO, Begin, Begin, Begin + Source.size());
  clang::Token T;
  bool InDirective = false;
  while (true) {
    L.LexFromRawLexer(T);
    if (T.is(tok::eof))
      break;
    Token Out;
    Out.Offset = T.getLocation().getRawEncoding();
    Out.Length = T.getLength();
    Out.Kind = T.getKind();
    Out.StartOfLine = T.isAtStartOfLine() || Toks.empty();
    if (Out.StartOfLine)
      InDirective = Out.Kind == tok::hash;
    Out.InDirective = InDirective;
    // The raw lexer is robust, but never trust a location past the buffer.
    if (Out.Offset > Source.size() || Out.Length > Source.size() - Out.Offset)
      break;
    Toks.push_back(Out);
  }
  // Code and directive lines are matched separately: a `#define LBRACE {`
  // must not unbalance the code around it.
  int N = size();
  std::vector<Token> Code;
  std::vector<int> CodeIdx;
  for (int I = 0; I < N;) {
    if (!Toks[I].InDirective) {
      CodeIdx.push_back(I);
      Code.push_back(Toks[I]);
      ++I;
      continue;
    }
    int J = I + 1;
    while (J < N && Toks[J].InDirective && !Toks[J].StartOfLine)
      ++J;
    matchBrackets(Toks, I, J);
    I = J;
  }
  matchBrackets(Code, 0, static_cast<int>(Code.size()));
  for (size_t C = 0; C < Code.size(); ++C)
    Toks[CodeIdx[C]].Match = Code[C].Match < 0 ? -1 : CodeIdx[Code[C].Match];
}

bool TokenBuffer::isOpen(int I) const {
  return is(I, tok::l_paren) || is(I, tok::l_square) || is(I, tok::l_brace);
}

bool TokenBuffer::isClose(int I) const {
  return is(I, tok::r_paren) || is(I, tok::r_square) || is(I, tok::r_brace);
}

bool isCPrimeEnabled(llvm::StringRef Source) {
  size_t Pos = 0;
  while ((Pos = Source.find("cprime", Pos)) != llvm::StringRef::npos) {
    size_t LineStart = Source.rfind('\n', Pos);
    LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
    llvm::StringRef Line = Source.slice(LineStart, Pos + 6);
    Pos += 6;
    auto SkipSpace = [](llvm::StringRef S) {
      size_t I = 0;
      while (I < S.size() && isSpace(S[I]))
        ++I;
      return S.drop_front(I);
    };
    Line = SkipSpace(Line);
    if (!Line.consume_front("#"))
      continue;
    Line = SkipSpace(Line);
    if (Line.consume_front("include")) {
      Line = SkipSpace(Line);
      if (Line == "<cprime" || Line == "\"cprime") {
        char Next = Pos < Source.size() ? Source[Pos] : '\0';
        if (Next == '/')
          return true;
      }
    } else if (Line.consume_front("pragma")) {
      llvm::StringRef Rest = SkipSpace(Line);
      char Next = Pos < Source.size() ? Source[Pos] : '\0';
      if (Rest == "cprime" && Rest.size() < Line.size() &&
          (Next == '\0' || Next == '\n' || Next == '\r' || isSpace(Next)))
        return true;
    }
  }
  return false;
}

} // namespace cprime
