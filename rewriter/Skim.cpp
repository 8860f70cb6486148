//===- Skim.cpp - just enough C++ to find where an operand ends -----------===//
//
// See Skim.h. The grammar comments (//G) name what each function accepts.
//
//===----------------------------------------------------------------------===//

#include "Skim.h"

using namespace clang;

namespace cprime {

namespace {
// Nesting deeper than this in one statement is reported, never recursed
// into: the rewriter must not overflow its stack on hostile input.
constexpr int MaxDepth = 256;
} // namespace

bool isWordIn(const TokenBuffer &T, int I,
              std::initializer_list<llvm::StringRef> Words) {
  if (!T.isIdent(I))
    return false;
  llvm::StringRef S = T.text(I);
  for (llvm::StringRef W : Words)
    if (S == W)
      return true;
  return false;
}

// The previous token of the same region: code skips directive lines, a
// directive never looks past its own line.
int Skim::prevToken(int I, int Lo) const {
  int P = I - 1;
  if (!T[I].InDirective)
    while (P >= Lo && T[P].InDirective)
      --P;
  return P >= Lo ? P : -1;
}

bool Skim::isStatementStart(int I, int Lo) const {
  int P = prevToken(I, Lo);
  if (P < 0)
    return !T[I].InDirective;
  // The body of a select arm, `c.recv() => spawn f();`: `=` then `>`
  // written together is no C++ token sequence (`>=` is one token).
  if (T.is(P, tok::greater) && T.is(P - 1, tok::equal) && T.adjacent(P))
    return true;
  if (T[I].InDirective) {
    // The first token of a `#define` body: after the name, or after the
    // parameter list written right against it.
    if (T.isWord(P - 1, "define") && T.is(P - 2, tok::hash))
      return true;
    if (T.is(P, tok::r_paren) && T[P].Match > 0 && T.adjacent(T[P].Match) &&
        T.isWord(T[P].Match - 2, "define"))
      return true;
  }
  switch (T[P].Kind) {
  case tok::semi:
  case tok::l_brace:
  case tok::r_brace:
    return true;
  case tok::colon:
    return endsLabel(P, Lo);
  case tok::r_square: {
    // `[[likely]] spawn f();`: an attribute that itself starts the statement.
    int M = T[P].Match;
    if (M <= 0 || !T.is(M + 1, tok::l_square) || T[M + 1].Match != P - 1 ||
        LabelDepth > 16)
      return false;
    ++LabelDepth;
    bool Start = isStatementStart(M, Lo);
    --LabelDepth;
    return Start;
  }
  case tok::r_paren: {
    int M = T[P].Match;
    return M > 0 && (isWordIn(T, M - 1, {"if", "for", "while", "switch"}) ||
                     (T.isWord(M - 1, "constexpr") && T.isWord(M - 2, "if")));
  }
  case tok::raw_identifier:
    return isWordIn(T, P, {"else", "do"});
  default:
    return false;
  }
}

// A `:` ends a label when it closes `case expr:`, `default:` or `name:` whose
// name starts a statement itself. Not a label: `a ? b : c`, a bit-field
// `int x : 3`, `for (x : r)`, a base clause `struct A : B`, a constructor's
// `) : m(0)`, an access specifier `public:` (what follows is a member).
bool Skim::endsLabel(int Colon, int Lo) const {
  int P = prevToken(Colon, Lo);
  if (P < 0)
    return false;
  if (T.isWord(P, "default"))
    return true;
  if (T.isIdent(P) && !isWordIn(T, P, {"public", "private", "protected"})) {
    // Chained labels recurse; hostile input must not overflow the stack.
    if (LabelDepth > 16)
      return false;
    ++LabelDepth;
    bool Start = isStatementStart(P, Lo);
    --LabelDepth;
    if (Start)
      return true;
  }
  // `case expr:`: walk back over the expression (brackets skipped) to `case`.
  for (int Q = P, Steps = 0; Q >= Lo && Steps < 64; --Q, ++Steps) {
    if (T.isClose(Q) && T[Q].Match >= Lo && T[Q].Match < Q) {
      Q = T[Q].Match;
      continue;
    }
    if (T.isWord(Q, "case"))
      return true;
    if (T.is(Q, tok::semi) || T.is(Q, tok::l_brace) || T.is(Q, tok::r_brace) ||
        T.is(Q, tok::colon) || T.is(Q, tok::question) || T.isOpen(Q) ||
        T[Q].InDirective != T[Colon].InDirective)
      return false;
  }
  return false;
}

bool Skim::isExpressionStart(int I, int Lo) const {
  int P = prevToken(I, Lo);
  return P >= 0 && (T.is(P, tok::equal) || T.isWord(P, "return"));
}

// An argument position: `pool.push_back(spawn f(x))`, `g(a, spawn f(x))`.
// A `spawn` there is a keyword only when a well-formed spawn operand
// follows; anything else stays an ordinary name, without a diagnostic.
bool Skim::isArgumentStart(int I, int Lo) const {
  int P = prevToken(I, Lo);
  return P >= 0 && (T.is(P, tok::l_paren) || T.is(P, tok::comma));
}

//G statement: compound-statement
//G          | 'if' 'constexpr'? '(' … ')' statement ('else' statement)?
//G          | ('for' | 'while' | 'switch') '(' … ')' statement
//G          | 'do' statement 'while' '(' … ')' ';'
//G          | 'try' compound-statement ('catch' '(' … ')' compound-statement)+
//G          | tokens-with-balanced-brackets ';'
// Returns the statement's last token, or -1 when it does not end before
// Limit.
int Skim::skipStatement(int I, int Limit, int Depth) const {
  if (I >= Limit || Depth > MaxDepth)
    return -1;
  if (T.is(I, tok::l_brace))
    return matched(I, Limit) ? T[I].Match : -1;
  if (T.isWord(I, "if")) {
    int J = I + 1;
    if (T.isWord(J, "constexpr"))
      ++J;
    if (!matched(J, Limit) || !T.is(J, tok::l_paren))
      return -1;
    int Then = skipStatement(T[J].Match + 1, Limit, Depth + 1);
    if (Then < 0)
      return -1;
    if (T.isWord(Then + 1, "else") && Then + 1 < Limit)
      return skipStatement(Then + 2, Limit, Depth + 1);
    return Then;
  }
  if (isWordIn(T, I, {"for", "while", "switch"})) {
    if (!T.is(I + 1, tok::l_paren) || !matched(I + 1, Limit))
      return -1;
    return skipStatement(T[I + 1].Match + 1, Limit, Depth + 1);
  }
  if (T.isWord(I, "do")) {
    int Body = skipStatement(I + 1, Limit, Depth + 1);
    if (Body < 0 || !T.isWord(Body + 1, "while") ||
        !T.is(Body + 2, tok::l_paren) || !matched(Body + 2, Limit))
      return -1;
    int Semi = T[Body + 2].Match + 1;
    return Semi < Limit && T.is(Semi, tok::semi) ? Semi : -1;
  }
  // CPrime block statements end at their block's `}`, with no `;`.
  if (isWordIn(T, I, {"spawn", "select", "parallel", "defer"})) {
    int J = I + 1;
    if (T.isWord(I, "spawn") && T.isWord(J, "blocking"))
      ++J;
    if (T.isWord(I, "spawn") && T.isWord(J, "with") && T.is(J + 1, tok::l_paren) &&
        matched(J + 1, Limit))
      J = T[J + 1].Match + 1;
    if (T.isWord(I, "spawn") && T.is(J, tok::l_square) && matched(J, Limit))
      J = T[J].Match + 1;
    if (T.is(J, tok::l_brace))
      return matched(J, Limit) ? T[J].Match : -1;
  }
  if (T.isWord(I, "timeout") && T.is(I + 1, tok::l_paren) &&
      matched(I + 1, Limit) && T.is(T[I + 1].Match + 1, tok::l_brace)) {
    int Open = T[I + 1].Match + 1;
    if (!matched(Open, Limit))
      return -1;
    int Close = T[Open].Match;
    if (T.isWord(Close + 1, "else") && Close + 1 < Limit)
      return skipStatement(Close + 2, Limit, Depth + 1);
    return Close;
  }
  if (T.isWord(I, "try")) {
    if (!T.is(I + 1, tok::l_brace) || !matched(I + 1, Limit))
      return -1;
    int Last = T[I + 1].Match;
    while (T.isWord(Last + 1, "catch") && T.is(Last + 2, tok::l_paren) &&
           matched(Last + 2, Limit) &&
           T.is(T[Last + 2].Match + 1, tok::l_brace) &&
           matched(T[Last + 2].Match + 1, Limit))
      Last = T[T[Last + 2].Match + 1].Match;
    return Last;
  }
  for (int J = I; J < Limit; ++J) {
    if (T[J].InDirective != T[I].InDirective)
      return -1;
    if (T.isOpen(J)) {
      if (!matched(J, Limit))
        return -1;
      J = T[J].Match;
      continue;
    }
    if (T.is(J, tok::semi))
      return J;
    if (T.isClose(J))
      return -1;
  }
  return -1;
}

// `<` after a name opens template arguments when a balanced `>` follows
// within a short run of type-like tokens and is itself followed by `(`,
// `::` or `{`. Returns the index past `>`, or I when `<` is a comparison.
int Skim::skipTemplateArgs(int I, int Limit) const {
  int Depth = 0;
  for (int J = I; J < Limit && J < I + 64; ++J) {
    switch (T[J].Kind) {
    case tok::less:
      ++Depth;
      break;
    case tok::greater:
    case tok::greatergreater: {
      Depth -= T.is(J, tok::greater) ? 1 : 2;
      if (Depth < 0)
        return I;
      if (Depth == 0)
        return T.is(J + 1, tok::l_paren) || T.is(J + 1, tok::coloncolon) ||
                       T.is(J + 1, tok::l_brace)
                   ? J + 1
                   : I;
      break;
    }
    case tok::l_paren:
    case tok::l_square:
      if (!matched(J, Limit))
        return I;
      J = T[J].Match;
      break;
    case tok::semi:
    case tok::l_brace:
    case tok::r_brace:
    case tok::r_paren:
    case tok::r_square:
    case tok::ampamp:
    case tok::pipepipe:
      return I;
    default:
      break;
    }
  }
  return I;
}

//G unary-expression: unary-operator* postfix-expression
//G unary-operator: '*' | '&' | '!' | '~' | '-' | '+' | '++' | '--' | 'co_await'
// Returns the index past the operand (== I when there is none).
int Skim::parseUnary(int I, int Limit) const {
  while (I < Limit &&
         (T.is(I, tok::star) || T.is(I, tok::amp) || T.is(I, tok::exclaim) ||
          T.is(I, tok::tilde) || T.is(I, tok::minus) || T.is(I, tok::plus) ||
          T.is(I, tok::plusplus) || T.is(I, tok::minusminus) ||
          T.isWord(I, "co_await")))
    ++I;
  return parsePostfix(I, Limit);
}

//G postfix-expression: primary ( '.' name | '->' name | '[' … ']'
//G                              | '(' … ')' | '{' … '}' | '++' | '--' )*
//G primary: '(' … ')' | lambda | '::'? name ('::' name | '<' … '>')* | literal
int Skim::parsePostfix(int I, int Limit) const {
  if (I >= Limit)
    return I;
  int J = I;
  if (T.is(J, tok::l_paren)) {
    if (!matched(J, Limit))
      return I;
    J = T[J].Match + 1;
  } else if (T.is(J, tok::l_square)) {
    // A lambda: captures, then everything up to its body.
    if (!matched(J, Limit))
      return I;
    J = T[J].Match + 1;
    while (J < Limit && !T.is(J, tok::l_brace)) {
      if (T.is(J, tok::semi) || T.isClose(J))
        return I;
      if (T.isOpen(J)) {
        if (!matched(J, Limit))
          return I;
        J = T[J].Match;
      }
      ++J;
    }
    if (!matched(J, Limit))
      return I;
    J = T[J].Match + 1;
  } else if (T.isIdent(J) || T.is(J, tok::coloncolon)) {
    J = skipName(J, Limit);
    if (J == I)
      return I;
  } else if (T.is(J, tok::numeric_constant) || T.is(J, tok::char_constant) ||
             tok::isStringLiteral(T[J].Kind)) {
    ++J;
    while (J < Limit && tok::isStringLiteral(T[J].Kind))
      ++J;
  } else {
    return I;
  }
  while (J < Limit) {
    if ((T.is(J, tok::period) || T.is(J, tok::arrow)) && J + 1 < Limit) {
      int K = J + 1;
      if (T.isWord(K, "template"))
        ++K;
      if (T.is(K, tok::tilde))
        ++K;
      if (!T.isIdent(K))
        break;
      J = K + 1;
      if (T.is(J, tok::less)) {
        int After = skipTemplateArgs(J, Limit);
        if (After != J)
          J = After;
      }
      continue;
    }
    if ((T.is(J, tok::l_paren) || T.is(J, tok::l_square) ||
         (T.is(J, tok::l_brace) && (T.isIdent(J - 1) || T.is(J - 1, tok::greater)))) &&
        matched(J, Limit)) {
      J = T[J].Match + 1;
      continue;
    }
    if (T.is(J, tok::plusplus) || T.is(J, tok::minusminus)) {
      ++J;
      continue;
    }
    break;
  }
  return J;
}

// lambdaBodyClose returns the `}` of the lambda expression whose captures
// open at \p Open, or -1 when `[` does not start a lambda (`a[i] = …`).
//G lambda: '[' … ']' ('<' … '>' requires-clause?)? attributes?
//G         ('(' … ')')? specifiers ('->' type)? requires-clause? '{' … '}'
// Everything between `]` and the body is skipped as balanced tokens up to the
// first `{` at depth 0; only `requires requires { … }` puts one earlier.
int Skim::lambdaBodyClose(int Open, int Limit) const {
  if (!matched(Open, Limit))
    return -1;
  int J = T[Open].Match + 1;
  if (J >= Limit || T[J].InDirective != T[Open].InDirective)
    return -1;
  if (!(T.is(J, tok::l_brace) || T.is(J, tok::l_paren) || T.is(J, tok::less) ||
        T.is(J, tok::arrow) || T.is(J, tok::l_square) ||
        isWordIn(T, J, {"mutable", "constexpr", "consteval", "static",
                        "noexcept", "requires", "throw", "__attribute__"})))
    return -1;
  for (int Steps = 0; J < Limit && Steps < 4096; ++J, ++Steps) {
    if (T[J].InDirective != T[Open].InDirective)
      return -1;
    if (T.isWord(J, "requires") && T.isWord(J + 1, "requires")) {
      J += 2;
      if (T.is(J, tok::l_paren) && matched(J, Limit))
        J = T[J].Match + 1;
      if (!T.is(J, tok::l_brace) || !matched(J, Limit))
        return -1;
      J = T[J].Match;
      continue;
    }
    if (T.is(J, tok::l_brace))
      return matched(J, Limit) ? T[J].Match : -1;
    if (T.is(J, tok::semi) || T.isClose(J))
      return -1;
    if (T.isOpen(J)) {
      if (!matched(J, Limit))
        return -1;
      J = T[J].Match;
    }
  }
  return -1;
}

// `::`? name (`::` name | `<` … `>`)*: a name, maybe qualified or with
// template arguments. Returns the index past it, or I when there is none.
int Skim::skipName(int I, int Limit) const {
  int J = I;
  if (T.is(J, tok::coloncolon))
    ++J;
  if (!T.isIdent(J))
    return I;
  ++J;
  while (J < Limit) {
    if (T.is(J, tok::less)) {
      int After = skipTemplateArgs(J, Limit);
      if (After == J)
        break;
      J = After;
      continue;
    }
    if (T.is(J, tok::coloncolon) && T.isIdent(J + 1)) {
      J += 2;
      continue;
    }
    break;
  }
  return J;
}

// True when [B, E) is a name and nothing else (E is the token after it:
// template arguments count as such only when E follows their `>`).
bool Skim::isIdExpression(int B, int E) const {
  return E > B && skipName(B, E + 1) == E;
}

} // namespace cprime
