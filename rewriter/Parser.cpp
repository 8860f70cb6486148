//===- Parser.cpp - the CPrime constructs of one file ---------------------===//
//
// One pass over the tokens with a stack of brace contexts (which parallel/
// timeout scope a `spawn` attaches to, whether the enclosing function is a
// native C++20 coroutine). Each construct records its node and the walk goes
// on into the construct's operands and bodies, so constructs nest freely:
// the Emitter composes their edits token by token.
//
//===----------------------------------------------------------------------===//

#include "Parser.h"
#include "Skim.h"

#include <algorithm>

using namespace clang;

namespace cprime {

namespace {

// The Parser reads C++ through Skim (statement starts, where an operand
// ends) and keeps the CPrime side: the brace contexts and the handlers.
class Parser : private Skim {
public:
  Parser(const TokenBuffer &T, DiagnosticList &D)
      : Skim(T), Diags(D), FuncLike(N, false), Coroutine(N, false) {}

  ParseResult run();

private:
  struct Context {
    int Scope = -1;
    int ScopeOpen = -1; // the `{` of that parallel/timeout block
    // Code here runs in that block's own frame (not in a lambda within it),
    // so a spawned block may refer to its variables: the block outlives it.
    bool InScopeFrame = false;
    bool Coroutine = false;
    bool HasThis = false; // `this` is usable here
    bool InClass = false; // directly inside a class body
    bool InFunction = false; // in a function or lambda body (block scope)
    int Close = -1;
  };

  void error(DiagID ID, uint32_t Offset) { Diags.push_back({ID, Offset}); }
  void errorAt(DiagID ID, int Tok) {
    error(ID, Tok < N ? T[Tok].Offset : static_cast<uint32_t>(T.source().size()));
  }
  void errorAfter(DiagID ID, int Tok) { error(ID, T.endOffset(Tok)); }

  bool isFuncLikeBrace(int Open) const;
  bool isClassBody(int Open) const;
  int lambdaIntroducer(int Open) const;
  bool capturesThis(int Intro) const;
  bool capturesByReference(int Open, const Context &Outer) const;
  bool functionHasThis(int Open, const Context &Outer) const;
  void collectNames();
  void findCoroutines();
  void walk(int Begin, int End, bool Directive);

  // What a handler asks the walk to push when it reaches the `{` at Open: a
  // parallel/timeout block opens the scope numbered Scope there.
  struct Push {
    int Open = -1;
    int Scope = -1;
  };

  void handleSpawn(int I, int Lo, int Limit, const Context &C);
  bool isMacroParam(int I) const;
  void handleAwait(int I, int Limit, const Context &C);
  void handleSelect(int I, int Lo, int Limit);
  bool parseSelectArm(SelectNode &S, int &K);
  Push handleParallel(int I, int Lo, int Limit);
  void handleDefer(int I, int Lo, int Limit);
  bool caseLabelFollows(int From, int Limit) const;
  Push handleTimeout(int I, int Lo, int Limit);

  DiagnosticList &Diags;
  std::vector<bool> FuncLike;   // `{` opens a function or lambda body
  std::vector<bool> Coroutine;  // that body has co_return/co_yield
  unsigned SelectCount = 0, ScopeCount = 0, DeferCount = 0;
  std::vector<llvm::StringRef> MacroParams; // of the #define being walked
  std::vector<llvm::StringRef> Namespaces;    // names after `namespace`
  std::vector<llvm::StringRef> StaticMembers; // `static … name(` in a class
  ParseResult R;
};

// A `{` opens a function or lambda body when, walking back over
// specifiers and a trailing return type, we reach the `)` of a parameter
// list (not of an if/for/while/switch/catch header) or a lambda's `]`.
// CPrime's own bodies (spawn/parallel/defer blocks) are lambdas too.
bool Parser::isFuncLikeBrace(int Open) const {
  int P = Open - 1;
  if (P < 0)
    return false;
  if (isWordIn(T, P, {"spawn", "blocking", "parallel", "defer"}))
    return true;
  for (int Steps = 0; P >= 0 && Steps < 64; ++Steps) {
    const Token &Tk = T[P];
    if (Tk.InDirective)
      return false;
    switch (Tk.Kind) {
    case tok::r_square:
      // `[[attr]] {` is a block; `[caps] {` a lambda.
      return !(T.is(P - 1, tok::r_square));
    case tok::r_paren: {
      int M = Tk.Match;
      if (M < 0)
        return false;
      if (isWordIn(T, M - 1, {"noexcept", "decltype", "throw", "requires",
                              "alignas", "__attribute__"})) {
        P = M - 2;
        continue;
      }
      if (isWordIn(T, M - 1, {"if", "for", "while", "switch", "catch",
                              "constexpr"}))
        return false;
      return true;
    }
    case tok::r_brace: {
      // `S() : n{2} {`: a brace mem-initializer before a constructor body.
      int M = Tk.Match;
      if (M < 0 || M > P || !(T.isIdent(M - 1) || T.is(M - 1, tok::greater)) ||
          !(T.is(M - 2, tok::colon) || T.is(M - 2, tok::comma)))
        return false;
      P = M - 1;
      continue;
    }
    case tok::colon:
      // The start of a mem-initializer list: a parameter list precedes it.
      if (!T.is(P - 1, tok::r_paren) && !T.isIdent(P - 1))
        return false;
      break;
    case tok::raw_identifier:
      if (isWordIn(T, P, {"return", "else", "do", "try", "case", "goto",
                          "namespace", "struct", "class", "union", "enum",
                          "extern", "new", "default", "public",
                          "private", "protected"}))
        return false;
      break;
    case tok::coloncolon:
    case tok::less:
    case tok::greater:
    case tok::greatergreater:
    case tok::star:
    case tok::amp:
    case tok::ampamp:
    case tok::arrow:
    case tok::comma:
    case tok::ellipsis:
      break;
    default:
      return false;
    }
    --P;
  }
  return false;
}

// `struct S : B {`, `class [[x]] C final {`, `union {`: a class body, whose
// member function bodies have `this` (`enum class E {` is no class).
bool Parser::isClassBody(int Open) const {
  for (int P = Open - 1, Steps = 0; P >= 0 && Steps < 64; --P, ++Steps) {
    if (T[P].InDirective != T[Open].InDirective)
      return false;
    if (T.isClose(P) && T[P].Match >= 0 && T[P].Match < P &&
        !T.is(P, tok::r_brace)) {
      P = T[P].Match;
      continue;
    }
    if (isWordIn(T, P, {"struct", "class", "union"}))
      return !T.isWord(P - 1, "enum");
    if (T.is(P, tok::semi) || T.is(P, tok::l_brace) || T.is(P, tok::r_brace) ||
        T.is(P, tok::equal) || isWordIn(T, P, {"return", "namespace"}))
      return false;
  }
  return false;
}

// The `[` of the lambda whose body opens at \p Open, or -1 when \p Open is
// a function's body. Walks back over the declarator: specifiers, a trailing
// return type, the parameters, template parameters and attributes.
int Parser::lambdaIntroducer(int Open) const {
  int P = Open - 1;
  for (int Steps = 0; P >= 0 && Steps < 128; ++Steps) {
    if (T[P].InDirective != T[Open].InDirective)
      return -1;
    switch (T[P].Kind) {
    case tok::r_square: {
      int M = T[P].Match;
      if (M < 0)
        return -1;
      if (T.is(M + 1, tok::l_square) && T[M + 1].Match == P - 1) {
        P = M - 1; // [[attribute]]
        continue;
      }
      if (T.isWord(M - 1, "operator"))
        return -1; // `operator[](…) {`
      return M;
    }
    case tok::r_paren: {
      int M = T[P].Match;
      if (M < 0)
        return -1;
      P = M - 1;
      continue;
    }
    case tok::greater:
    case tok::greatergreater: {
      int Depth = 0, Q = P;
      for (; Q >= 0 && P - Q < 64; --Q) {
        if (T.is(Q, tok::greater))
          ++Depth;
        else if (T.is(Q, tok::greatergreater))
          Depth += 2;
        else if (T.is(Q, tok::less) && --Depth == 0)
          break;
        else if (T.is(Q, tok::semi) || T.is(Q, tok::l_brace) ||
                 T.is(Q, tok::r_brace))
          return -1;
      }
      if (Q < 0 || Depth != 0)
        return -1;
      P = Q - 1;
      continue;
    }
    case tok::raw_identifier:
    case tok::coloncolon:
    case tok::star:
    case tok::amp:
    case tok::ampamp:
    case tok::arrow:
    case tok::comma:
      --P;
      continue;
    default:
      return -1;
    }
  }
  return -1;
}

// A capture list with a default (`=`, `&`) or `this`/`*this` gives the
// lambda the `this` of the function around it.
bool Parser::capturesThis(int Intro) const {
  int Close = T[Intro].Match;
  bool First = true;
  for (int P = Intro + 1; P < Close; ++P) {
    if (T.isOpen(P) && T[P].Match > P) {
      P = T[P].Match;
      continue;
    }
    if (First && (T.is(P, tok::equal) || T.is(P, tok::amp)) &&
        (T.is(P + 1, tok::comma) || P + 1 == Close))
      return true;
    if (T.isWord(P, "this"))
      return true;
    First = T.is(P, tok::comma);
  }
  return false;
}

// The body opening at \p Open (a function-like brace) belongs to a lambda,
// as the user wrote it or as CPrime lowers it, whose capture-default is `&`:
// a user's `[&…]` lambda, `spawn [&…] { … }`, a `defer` body, and a plain
// `spawn { … }` in a block's own frame.
bool Parser::capturesByReference(int Open, const Context &Outer) const {
  if (T.isWord(Open - 1, "defer"))
    return true;
  if (isWordIn(T, Open - 1, {"spawn", "blocking"}))
    return Outer.InScopeFrame;
  int Intro = lambdaIntroducer(Open);
  return Intro >= 0 && T.is(Intro + 1, tok::amp) &&
         (T.is(Intro + 2, tok::comma) || Intro + 2 == T[Intro].Match);
}

// A function body has `this` when the function is a non-static member:
// defined in a class body without `static`/`friend`, or defined out of line
// as `R C::f(…) {` where C is not a namespace of this file and f was not
// declared static in a class of this file.
bool Parser::functionHasThis(int Open, const Context &Outer) const {
  // Walk back to the parameter list: the first `(…)` preceded by a name
  // that is not a specifier and not a mem-initializer.
  int Paren = -1;
  for (int P = Open - 1, Steps = 0; P >= 0 && Steps < 128; --P, ++Steps) {
    if (T[P].InDirective != T[Open].InDirective)
      return false;
    if (T.is(P, tok::semi) || T.is(P, tok::l_brace))
      return false;
    if (T.isClose(P)) {
      int M = T[P].Match;
      if (M < 0 || M > P)
        return false;
      bool Init = (T.isIdent(M - 1) || T.is(M - 1, tok::greater)) &&
                  (T.is(M - 2, tok::colon) || T.is(M - 2, tok::comma));
      if (T.is(P, tok::r_paren) && !Init &&
          !isWordIn(T, M - 1, {"noexcept", "decltype", "throw", "requires",
                               "alignas", "__attribute__"}) &&
          (T.isIdent(M - 1) || T.is(M - 1, tok::r_paren) ||
           T.is(M - 1, tok::greater) || T.is(M - 1, tok::equalequal) ||
           T.is(M - 1, tok::l_square) || T.is(M - 1, tok::r_square))) {
        Paren = M;
        break;
      }
      P = M;
      continue;
    }
  }
  if (Paren < 0)
    return false;
  // The declarator name: `f`, `~C`, `operator…`.
  int Name = Paren - 1;
  for (int Q = Paren - 1; Q >= 0 && Q >= Paren - 4; --Q)
    if (T.isWord(Q, "operator")) {
      Name = Q;
      break;
    }
  if (T.is(Name - 1, tok::tilde))
    --Name;
  // The declaration's specifiers, back to the previous member or statement.
  bool Static = false, Friend = false;
  for (int P = Name - 1, Steps = 0; P >= 0 && Steps < 64; --P, ++Steps) {
    if (T.is(P, tok::semi) || T.is(P, tok::l_brace) || T.is(P, tok::r_brace) ||
        (T.is(P, tok::colon) &&
         isWordIn(T, P - 1, {"public", "private", "protected"})))
      break;
    if (T.is(P, tok::r_paren) || T.is(P, tok::r_square)) {
      if (T[P].Match < 0 || T[P].Match > P)
        break;
      P = T[P].Match;
      continue;
    }
    Static |= T.isWord(P, "static");
    Friend |= T.isWord(P, "friend");
  }
  if (Outer.InClass)
    return !Static && !Friend;
  if (!T.is(Name - 1, tok::coloncolon) || Static)
    return false;
  int Qual = Name - 2;
  if (T.isIdent(Qual) &&
      std::find(Namespaces.begin(), Namespaces.end(), T.text(Qual)) !=
          Namespaces.end())
    return false;
  llvm::StringRef N = T.text(Name);
  return std::find(StaticMembers.begin(), StaticMembers.end(), N) ==
         StaticMembers.end();
}

// Namespace names, and the names of static member functions declared in the
// class bodies of this file: an out-of-line `void C::f() {` is a static
// member (no `this`) when some class here declares `static … f(`.
void Parser::collectNames() {
  for (int I = 0; I < N; ++I) {
    if (T[I].InDirective)
      continue;
    if (T.isWord(I, "namespace")) {
      for (int J = I + 1; J < N && (T.isIdent(J) || T.is(J, tok::coloncolon));
           ++J)
        if (T.isIdent(J))
          Namespaces.push_back(T.text(J));
      continue;
    }
    if (!T.isWord(I, "static"))
      continue;
    for (int J = I + 1; J < N && J < I + 32; ++J) {
      if (T.is(J, tok::semi) || T.is(J, tok::l_brace) || T.is(J, tok::equal))
        break;
      if (T.is(J, tok::l_paren)) {
        if (T.isIdent(J - 1))
          StaticMembers.push_back(T.text(J - 1));
        break;
      }
    }
  }
}

void Parser::findCoroutines() {
  std::vector<int> Stack;
  for (int I = 0; I < N; ++I) {
    if (T[I].InDirective)
      continue;
    if (T.is(I, tok::l_brace) && T[I].Match > I) {
      FuncLike[I] = isFuncLikeBrace(I);
      Stack.push_back(I);
    } else if (T.is(I, tok::r_brace) && !Stack.empty() &&
               T[Stack.back()].Match == I) {
      Stack.pop_back();
    } else if (isWordIn(T, I, {"co_return", "co_yield"})) {
      for (int S = static_cast<int>(Stack.size()) - 1; S >= 0; --S)
        if (FuncLike[Stack[S]]) {
          Coroutine[Stack[S]] = true;
          break;
        }
    }
  }
}

//G spawn-stmt: 'spawn' ('blocking' | 'with' '(' expression ')')? spawn-operand ';'
//G spawn-expr: ('=' | 'return' | '(' | ',') 'spawn' ('blocking' | 'with' '(' expression ')')? spawn-operand
//G spawn-operand: postfix-expression-ending-in-call
//G              | '[' captures ']' compound-statement
//G              | compound-statement
void Parser::handleSpawn(int I, int Lo, int Limit, const Context &C) {
  bool Stmt = isStatementStart(I, Lo);
  bool Soft = !Stmt && !isExpressionStart(I, Lo);
  if (Soft && !isArgumentStart(I, Lo))
    return;
  auto Fail = [&](DiagID ID, int Tok) {
    if (!Soft)
      errorAt(ID, Tok);
  };
  int J = I + 1;
  bool EndOfRegion = J >= Limit || (T[J].InDirective != T[I].InDirective) ||
                     (T[I].InDirective && T[J].StartOfLine);
  // `#define GO spawn`: the operand would come from the macro's use, where
  // the rewriter no longer sees a keyword. Say so rather than let Clang
  // report an undeclared `spawn` at every use.
  if (EndOfRegion && T[I].InDirective) {
    if (Stmt)
      errorAt(DiagID::SpawnMacroKeyword, I);
    return;
  }
  if (EndOfRegion || T.is(J, tok::semi) || T.is(J, tok::r_brace)) {
    if (Stmt)
      errorAfter(DiagID::SpawnNothing, I);
    return;
  }
  // `spawn 42;`, `spawn "x";`: no reading of `spawn` as a name fits.
  if (Stmt && (T.is(J, tok::numeric_constant) || T.is(J, tok::char_constant) ||
               tok::isStringLiteral(T[J].Kind)))
    return errorAt(DiagID::SpawnNotCall, J);
  if (Soft && !(T.isIdent(J) || T.is(J, tok::coloncolon) ||
                T.is(J, tok::l_square) || T.is(J, tok::l_brace)))
    return;
  int LambdaClose = -1;
  if (T.is(J, tok::l_square)) {
    LambdaClose = lambdaBodyClose(J, Limit);
    if (LambdaClose < 0)
      return; // `spawn[i] = …`: an array named spawn.
  } else if (!(T.isIdent(J) || T.is(J, tok::coloncolon) ||
               T.is(J, tok::l_brace))) {
    return; // `spawn = 1`, `spawn(x)`, `spawn.f()`: an ordinary name.
  }

  SpawnNode S;
  S.Keyword = I;
  S.Expression = !Stmt;
  S.InDirective = T[I].InDirective;
  S.Scope = C.Scope;
  S.HasThis = C.HasThis;
  // A #define body is used in a function far more often than at namespace
  // scope, where a lambda may not have a capture-default.
  S.Local = C.InFunction || T[I].InDirective;
  if (T.isWord(J, "blocking") &&
      (T.isIdent(J + 1) || T.is(J + 1, tok::coloncolon) ||
       T.is(J + 1, tok::l_square) || T.is(J + 1, tok::l_brace))) {
    S.Blocking = J;
    ++J;
    if (T.is(J, tok::l_square)) {
      LambdaClose = lambdaBodyClose(J, Limit);
      if (LambdaClose < 0)
        return Fail(DiagID::SpawnNotCall, J);
    }
  }
  // `spawn with(options) operand`: options for cprime::spawn (a stack size).
  // Only when an operand follows: `spawn with(x);` spawns a function `with`.
  if (S.Blocking < 0 && T.isWord(J, "with") && T.is(J + 1, tok::l_paren) &&
      matched(J + 1, Limit) && T[J + 1].Match > J + 2) {
    int After = T[J + 1].Match + 1;
    if (T.isIdent(After) || T.is(After, tok::coloncolon) ||
        T.is(After, tok::l_square) || T.is(After, tok::l_brace)) {
      S.With = J;
      J = After;
      if (T.is(J, tok::l_square)) {
        LambdaClose = lambdaBodyClose(J, Limit);
        if (LambdaClose < 0)
          return Fail(DiagID::SpawnNotCall, J);
      }
    }
  }
  if (T.is(J, tok::l_brace)) {
    if (!matched(J, Limit))
      return Fail(DiagID::SpawnUnbalanced, J);
    // `spawn { … }();` reads like Go's `go func() { … }()`, but the block is
    // no function: there is nothing to call.
    if (T.is(T[J].Match + 1, tok::l_paren) &&
        T[T[J].Match + 1].InDirective == T[J].InDirective)
      return Fail(DiagID::SpawnBlockCalled, T[J].Match + 1);
    // A block in a macro body would capture by copy where the macro is used
    // outside a structured block and by reference inside one; the rewriter
    // cannot tell which, so the macro must write its captures.
    if (T[I].InDirective && C.Scope < 0)
      return Fail(DiagID::SpawnMacroBlock, J);
    S.Form = SpawnNode::Block;
    S.BodyOpen = J;
    S.BodyClose = T[J].Match;
    S.InScopeFrame = C.InScopeFrame;
    S.ScopeOpen = C.ScopeOpen;
    R.Spawns.push_back(S);
    return;
  }
  if (LambdaClose >= 0 && !T.is(LambdaClose + 1, tok::l_paren)) {
    // `spawn [caps] { body }`: the block form with explicit captures. A
    // lambda with a declarator (`[](int x) { … }`) but no call is an error:
    // the spawn would have nothing to run it with.
    int Open = T[J].Match + 1;
    if (Open == T[LambdaClose].Match) {
      S.Form = SpawnNode::CapturedBlock;
      S.BodyOpen = Open;
      S.BodyClose = LambdaClose;
      R.Spawns.push_back(S);
      return;
    }
    // `spawn [x] mutable { … }`, `spawn [x]() { … }`: a lambda that takes
    // nothing is a block written as a lambda; it is spawned as it is.
    for (int P = Open; P < T[LambdaClose].Match; ++P) {
      if (T.is(P, tok::l_paren) &&
          (T.is(P - 1, tok::r_square) || T.is(P - 1, tok::greater) ||
           T.is(P - 1, tok::greatergreater)) &&
          T[P].Match != P + 1)
        return Fail(DiagID::SpawnLambdaNotCalled, LambdaClose);
      if (T.isOpen(P) && T[P].Match > P)
        P = T[P].Match;
    }
    S.Form = SpawnNode::Lambda;
    S.CalleeBegin = J;
    S.BodyClose = LambdaClose;
    R.Spawns.push_back(S);
    return;
  }
  // `spawn call` in a macro whose parameter is the whole operand: the call's
  // callee and arguments are not visible here, so their decay-copy cannot be
  // lowered. The macro must spell the call: `spawn f(__VA_ARGS__)`.
  if (T[I].InDirective && T.isIdent(J) && isMacroParam(J)) {
    int Next = J + 1;
    if (Next >= Limit || T[Next].StartOfLine || T.is(Next, tok::semi) ||
        T.is(Next, tok::r_brace))
      return Fail(DiagID::SpawnMacroOperand, J);
  }
  // The call runs to the `;` (or `,`/closer of an expression) at depth 0;
  // a lambda callee is skipped whole (`-> std::pair<int, int>` has a comma).
  int K = LambdaClose >= 0 ? LambdaClose + 1 : J;
  for (; K < Limit; ++K) {
    if (T[K].InDirective != T[I].InDirective ||
        (T[I].InDirective && K > J && T[K].StartOfLine))
      break;
    if (T.isOpen(K)) {
      if (!matched(K, Limit))
        return Fail(DiagID::SpawnUnbalanced, K);
      K = T[K].Match;
      continue;
    }
    if (T.is(K, tok::semi) || T.is(K, tok::comma) || T.isClose(K))
      break;
  }
  int Last = K - 1;
  if (Last < J || !T.is(Last, tok::r_paren) || T[Last].Match <= J ||
      (LambdaClose >= 0 && T[Last].Match <= LambdaClose))
    return Fail(DiagID::SpawnNotCall, J);
  S.CalleeBegin = J;
  S.CallOpen = T[Last].Match;
  S.CallClose = Last;
  // A member call `recv.m(args)`: the last `.`/`->` at depth 0 of the callee.
  // A lambda callee has none: its `->` is a trailing return type.
  for (int P = LambdaClose >= 0 ? LambdaClose + 1 : J; P < S.CallOpen; ++P) {
    if (T.isOpen(P)) {
      P = T[P].Match;
      continue;
    }
    if ((T.is(P, tok::period) || T.is(P, tok::arrow)) && P > J &&
        P + 1 < S.CallOpen)
      S.MemberOp = P;
  }
  S.Form = S.MemberOp >= 0 ? SpawnNode::MemberCall : SpawnNode::Call;
  // `spawn handle(5)` in a member function may name a member: only a lambda
  // that captures `this` can call it (see lowerSpawn).
  S.BareName = S.MemberOp < 0 && LambdaClose < 0 &&
               isIdExpression(J, S.CallOpen);
  R.Spawns.push_back(S);
}

bool Parser::isMacroParam(int I) const {
  return std::find(MacroParams.begin(), MacroParams.end(), T.text(I)) !=
         MacroParams.end();
}

//G await-expr: 'co_await' unary-expression
void Parser::handleAwait(int I, int Limit, const Context &C) {
  if (C.Coroutine)
    return;
  int End = parseUnary(I + 1, Limit);
  if (End == I + 1) {
    errorAfter(DiagID::AwaitNoOperand, I);
    return;
  }
  R.Awaits.push_back({I, End - 1});
}

//G select-stmt: 'select' '{' select-arm+ '}'
void Parser::handleSelect(int I, int Lo, int Limit) {
  if (!isStatementStart(I, Lo) || !T.is(I + 1, tok::l_brace) ||
      T[I].InDirective != T[I + 1].InDirective)
    return;
  if (!matched(I + 1, Limit))
    return errorAt(DiagID::SelectUnbalanced, I);
  SelectNode S;
  S.Keyword = I;
  S.Open = I + 1;
  S.Close = T[I + 1].Match;
  int K = S.Open + 1;
  while (K < S.Close)
    if (!parseSelectArm(S, K))
      return;
  if (S.Arms.empty())
    return errorAt(DiagID::SelectNoArms, I);
  S.Number = ++SelectCount;
  int Index = 0;
  for (SelectArm &A : S.Arms)
    if (A.Kind != SelectArm::Default)
      A.Index = Index++;
  R.Selects.push_back(std::move(S));
}

//G select-arm: arm-head '=>' arm-body
//G arm-head: 'default' | (binding '=')? operand
//G binding: type-specifiers name | name | '_'
//G operand: postfix-expression ending in ('.' | '->') ('recv' '(' ')' | 'send' '(' … ')')
//G        | expression   (only after '_ =': a channel, e.g. cprime::after(d))
//G arm-body: compound-statement | statement
//G (Go's `case`, `default:`, `:` for '=>', `:=`, `<-` and a `co_await` before
//G the operation are diagnosed at the token, naming the form above.)
bool Parser::parseSelectArm(SelectNode &S, int &K) {
  SelectArm A;
  A.Begin = K;
  // Go habits, rejected where they stand: `case` would otherwise become part
  // of the binding or of the operand (a stray `case` label in the lowering),
  // and `default:` would run on to the next arm's '=>'.
  if (T.isWord(K, "case")) {
    errorAt(DiagID::SelectArmCase, K);
    return false;
  }
  if (T.isWord(K, "default") && T.is(K + 1, tok::colon)) {
    errorAt(DiagID::SelectDefaultColon, K + 1);
    return false;
  }
  int Arrow = -1;
  int J = K;
  int Questions = 0; // `?` still waiting for the `:` of their conditional
  for (; J < S.Close; ++J) {
    // `c.recv() {`: the body came where '=>' belongs.
    if (T.is(J, tok::l_brace) && T.is(J - 1, tok::r_paren) && J - 1 > K &&
        isWordIn(T, T[J - 1].Match - 1, {"recv", "send"}))
      break;
    if (T.isOpen(J)) {
      if (!matched(J, S.Close)) {
        errorAt(DiagID::SelectUnbalanced, J);
        return false;
      }
      J = T[J].Match;
      continue;
    }
    if (T.is(J, tok::equal) && T.is(J + 1, tok::greater) && T.adjacent(J + 1)) {
      Arrow = J;
      break;
    }
    if (T.is(J, tok::semi))
      break;
    // A `:` outside brackets belongs to a conditional (`_ = c ? a : b =>`)
    // or is Go's `:=` or the colon of Go's `case …:`.
    if (T.is(J, tok::question))
      ++Questions;
    else if (T.is(J, tok::colon) && Questions > 0)
      --Questions;
    else if (T.is(J, tok::colon)) {
      errorAt(T.is(J + 1, tok::equal) && T.adjacent(J + 1)
                  ? DiagID::SelectGoDeclare
                  : DiagID::SelectArmColon,
              J);
      return false;
    }
  }
  if (Arrow < 0) {
    errorAfter(DiagID::SelectMissingArrow, J > K ? J - 1 : K);
    return false;
  }
  A.Arrow = Arrow;
  if (T.isWord(K, "default") && Arrow == K + 1) {
    if (S.HasDefault) {
      errorAt(DiagID::SelectTwoDefaults, K);
      return false;
    }
    S.HasDefault = true;
    A.Kind = SelectArm::Default;
  } else {
    int Eq = -1;
    for (int P = K; P < Arrow; ++P) {
      if (T.isOpen(P)) {
        P = T[P].Match;
        continue;
      }
      if (T.is(P, tok::equal)) {
        Eq = P;
        break;
      }
    }
    A.OperandBegin = Eq >= 0 ? Eq + 1 : K;
    A.OperandLast = Arrow - 1;
    if (Eq >= 0) {
      A.Equal = Eq;
      if (Eq == K || !T.isIdent(Eq - 1)) {
        errorAt(DiagID::SelectBadBinding, K);
        return false;
      }
      if (Eq == K + 1)
        A.Kind = T.text(K) == "_" ? SelectArm::Discard : SelectArm::Name;
      else
        A.Kind = SelectArm::Decl;
    }
    if (A.OperandBegin > A.OperandLast) {
      errorAt(DiagID::SelectEmptyOperand, Arrow);
      return false;
    }
    // Go's receive `<-ch`: no C++ expression starts with `<`.
    if (T.is(A.OperandBegin, tok::less) && T.is(A.OperandBegin + 1, tok::minus) &&
        T.adjacent(A.OperandBegin + 1)) {
      errorAt(DiagID::SelectGoArrow, A.OperandBegin);
      return false;
    }
    // `co_await ch.recv()` would wait before the select and hand the
    // received value to it as the "operation"; select waits itself. A channel
    // that an awaited expression yields is written `_ = (co_await e) =>`.
    if (T.isWord(A.OperandBegin, "co_await")) {
      errorAt(DiagID::SelectAwaitOperand, A.OperandBegin);
      return false;
    }
    // The operation: `… . recv ( )` or `… . send ( … )`.
    int L = A.OperandLast;
    int Open = T.is(L, tok::r_paren) ? T[L].Match : -1;
    bool Recv = Open > A.OperandBegin + 1 && T.isWord(Open - 1, "recv") &&
                Open + 1 == L;
    bool Send = Open > A.OperandBegin + 1 && T.isWord(Open - 1, "send") &&
                Open + 1 < L;
    bool Member = Open > A.OperandBegin + 1 &&
                  (T.is(Open - 2, tok::period) || T.is(Open - 2, tok::arrow));
    if (!(Member && (Recv || Send)) && A.Kind != SelectArm::Discard) {
      // Go's send `out <- v` reads as `out < -v` here.
      int GoSend = -1;
      for (int P = A.OperandBegin; P < A.OperandLast && GoSend < 0; ++P) {
        if (T.isOpen(P))
          P = T[P].Match;
        else if (T.is(P, tok::less) && T.is(P + 1, tok::minus) &&
                 T.adjacent(P + 1))
          GoSend = P;
      }
      errorAt(GoSend >= 0 ? DiagID::SelectGoArrow : DiagID::SelectBadOperand,
              GoSend >= 0 ? GoSend : A.OperandBegin);
      return false;
    }
    if (A.Kind == SelectArm::Decl && Member && Recv) {
      bool AutoLike = false;
      for (int P = K; P < Eq - 1; ++P)
        if (isWordIn(T, P, {"auto", "optional", "decltype"}))
          AutoLike = true;
      A.TypedCase = !AutoLike;
    }
    for (int P = A.OperandBegin; P <= A.OperandLast; ++P)
      if (T[P].InDirective != T[S.Keyword].InDirective ||
          T.text(P).contains('\n') || T.text(P).contains('\r')) {
        errorAt(DiagID::SelectMultilineOperand, P);
        return false;
      }
  }
  int B = Arrow + 2;
  if (B >= S.Close) {
    errorAfter(DiagID::SelectMissingBody, Arrow + 1);
    return false;
  }
  int Last = skipStatement(B, S.Close, 0);
  if (Last < 0) {
    errorAt(T.is(B, tok::l_brace) ? DiagID::SelectUnbalanced
                                  : DiagID::SelectMissingBody,
            B);
    return false;
  }
  A.BodyBegin = B;
  A.BodyLast = Last;
  S.Arms.push_back(A);
  K = Last + 1;
  return true;
}

//G parallel-stmt: 'parallel' compound-statement
//G parallel-expr: ('=' | 'return') 'parallel' compound-statement
Parser::Push Parser::handleParallel(int I, int Lo, int Limit) {
  bool Stmt = isStatementStart(I, Lo);
  if ((!Stmt && !isExpressionStart(I, Lo)) || !T.is(I + 1, tok::l_brace))
    return {};
  if (!matched(I + 1, Limit)) {
    errorAt(DiagID::ParallelUnbalanced, I + 1);
    return {};
  }
  ParallelNode P;
  P.Keyword = I;
  P.Open = I + 1;
  P.Close = T[I + 1].Match;
  P.Scope = ++ScopeCount;
  P.Expression = !Stmt;
  R.Parallels.push_back(P);
  return {P.Open, static_cast<int>(P.Scope)};
}

//G defer-stmt: 'defer' statement
// `defer` is a keyword when what follows can only start a statement:
// a name, `{`, `::f()`, `*p = 0`, `++n`/`--n`, a called lambda `[&] { … }()`,
// a cast `(void)f()`. `defer(x);`, `defer = 1`, `defer.f()`, `defer++;`,
// `defer[i] = 0` keep `defer` an ordinary name.
void Parser::handleDefer(int I, int Lo, int Limit) {
  if (!isStatementStart(I, Lo))
    return;
  int J = I + 1;
  bool EndOfRegion = J >= Limit || T[J].InDirective != T[I].InDirective ||
                     (T[I].InDirective && T[J].StartOfLine);
  if (EndOfRegion && T[I].InDirective)
    return;
  if (EndOfRegion || T.is(J, tok::semi) || T.is(J, tok::r_brace))
    return errorAfter(DiagID::DeferNothing, I);
  auto StartsOperand = [&](int K) {
    return K < Limit && T[K].InDirective == T[I].InDirective &&
           (T.isIdent(K) || T.is(K, tok::coloncolon) ||
            T.is(K, tok::numeric_constant) || T.is(K, tok::l_paren) ||
            T.is(K, tok::star));
  };
  bool Keyword = T.isIdent(J) || T.is(J, tok::l_brace) || T.is(J, tok::star) ||
                 (T.is(J, tok::coloncolon) && !T.adjacent(J));
  if ((T.is(J, tok::plusplus) || T.is(J, tok::minusminus)) &&
      StartsOperand(J + 1))
    Keyword = true;
  if (T.is(J, tok::l_paren) && matched(J, Limit) &&
      StartsOperand(T[J].Match + 1) && !T.is(T[J].Match + 1, tok::l_paren))
    Keyword = true; // `defer (void)f();`
  if (T.is(J, tok::l_square)) {
    int Close = lambdaBodyClose(J, Limit);
    if (Close < 0)
      return; // `defer[i] = 0`: an array named defer.
    if (!T.is(Close + 1, tok::l_paren))
      return errorAt(DiagID::DeferLambdaNotCalled, Close);
    Keyword = true;
  }
  if (!Keyword)
    return; // `defer(x)`, `defer = 1`, `defer.f()`: an ordinary name.
  int Last = skipStatement(J, Limit, 0);
  bool OpenTail = false;
  if (Last < 0 && T[I].InDirective) {
    // `#define DEFER(x) defer x`: the statement runs to the end of the
    // macro body and its `;` comes from the use.
    int K = J;
    while (K < Limit && !T[K].StartOfLine && !T.is(K, tok::semi)) {
      if (T.isClose(K) || (T.isOpen(K) && !matched(K, Limit)))
        break;
      K = T.isOpen(K) ? T[K].Match + 1 : K + 1;
    }
    if (K > J && (K >= Limit || T[K].StartOfLine)) {
      Last = K - 1;
      OpenTail = true;
    }
  }
  if (Last < 0)
    return errorAt(DiagID::DeferUnbalanced, J);
  // (Not the unbraced body of an `if`/`for`/`while`/`else`/`do`: that is a
  // block of its own.)
  int Prev = prevToken(I, Lo);
  if (!T[I].InDirective && !(Prev >= 0 && (T.is(Prev, tok::r_paren) ||
                                           isWordIn(T, Prev, {"else", "do"}))) &&
      caseLabelFollows(Last + 1, Limit))
    return errorAt(DiagID::DeferBeforeCaseLabel, I);
  DeferNode D;
  // `[[likely]] defer f();`: the guard is a declaration, which takes no
  // statement attribute; the branch hint is dropped (docs/defer.md).
  if (Prev >= 1 && T.is(Prev, tok::r_square) && T.is(Prev - 1, tok::r_square) &&
      T[Prev].Match >= 0 && T.is(T[Prev].Match + 1, tok::l_square) &&
      T[T[Prev].Match + 1].Match == Prev - 1 &&
      T[Prev].Match + 3 == Prev - 1 &&
      isWordIn(T, T[Prev].Match + 2, {"likely", "unlikely"})) {
    D.AttrBegin = T[Prev].Match;
    D.AttrEnd = Prev;
  }
  D.Keyword = I;
  D.Last = Last;
  D.Block = T.is(J, tok::l_brace) && Last == T[J].Match;
  D.InDirective = T[I].InDirective;
  D.OpenTail = OpenTail;
  D.Number = ++DeferCount;
  R.Defers.push_back(D);
}

// The guard of a `defer` is a local of its block. Directly in a `switch`
// body, a `case`/`default` label after it is a jump over its
// initialization, which C++ rejects at the rewritten text: true when such a
// label follows [From, Limit) and Limit closes a switch body.
bool Parser::caseLabelFollows(int From, int Limit) const {
  if (Limit >= N || !T.is(Limit, tok::r_brace))
    return false;
  int Open = T[Limit].Match;
  if (Open < 1 || !T.is(Open - 1, tok::r_paren) ||
      !T.isWord(T[Open - 1].Match - 1, "switch"))
    return false;
  for (int P = From; P < Limit; ++P) {
    if (T.isOpen(P) && T[P].Match > P) {
      P = T[P].Match;
      continue;
    }
    if (T.isWord(P, "case") || (T.isWord(P, "default") && T.is(P + 1, tok::colon)))
      return true;
  }
  return false;
}

//G timeout-stmt: 'timeout' '(' duration ')' compound-statement
//G               ('else' compound-statement)?
Parser::Push Parser::handleTimeout(int I, int Lo, int Limit) {
  if (!isStatementStart(I, Lo))
    return {};
  int J = I + 1;
  if (T.is(J, tok::l_brace)) {
    errorAfter(DiagID::TimeoutNoDuration, I);
    return {};
  }
  // `timeout 5 { … }`, `timeout 100ms { … }`, `timeout d { … }`: the
  // duration without its parentheses. (`timeout d{5};` declares a variable
  // of a type named timeout: its braces are followed by `;`.)
  if (T.is(J, tok::numeric_constant)) {
    errorAt(DiagID::TimeoutNoDuration, J);
    return {};
  }
  if (T.isIdent(J) || T.is(J, tok::coloncolon)) {
    int After = parsePostfix(J, Limit);
    if (After > J && T.is(After - 1, tok::r_brace) &&
        T.is(T[After - 1].Match, tok::l_brace) && After < Limit &&
        !T.is(After, tok::semi) && !T.is(After, tok::comma)) {
      errorAt(DiagID::TimeoutNoDuration, J);
      return {};
    }
    if (After > J && T.is(After, tok::l_brace) && matched(After, Limit) &&
        !T.is(T[After].Match + 1, tok::semi)) {
      errorAt(DiagID::TimeoutNoDuration, J);
      return {};
    }
    return {};
  }
  if (!T.is(J, tok::l_paren) || !matched(J, Limit))
    return {}; // not `timeout (`: an ordinary name.
  int Open = T[J].Match + 1;
  // `timeout (d) work();`: a statement where the block belongs. A call of
  // an ordinary function named timeout is followed by `;`, `.`, `->`, …
  if (Open < Limit && !T.is(Open, tok::l_brace) &&
      T[Open].InDirective == T[I].InDirective &&
      (T.isIdent(Open) || T.is(Open, tok::coloncolon) ||
       T.is(Open, tok::numeric_constant))) {
    errorAt(DiagID::TimeoutNoBody, Open);
    return {};
  }
  if (!T.is(Open, tok::l_brace))
    return {}; // `timeout(x);`: a call of an ordinary function.
  if (T[J].Match == J + 1) {
    errorAfter(DiagID::TimeoutNoDuration, J);
    return {};
  }
  if (!matched(Open, Limit)) {
    errorAt(DiagID::TimeoutNoBody, Open);
    return {};
  }
  TimeoutNode TN;
  TN.Keyword = I;
  TN.DurationOpen = J;
  TN.DurationClose = T[J].Match;
  TN.Open = Open;
  TN.Close = T[Open].Match;
  if (T.isWord(TN.Close + 1, "else") && TN.Close + 1 < Limit) {
    if (!T.is(TN.Close + 2, tok::l_brace) || !matched(TN.Close + 2, Limit)) {
      errorAt(DiagID::TimeoutElseNoBody, TN.Close + 1);
      return {};
    }
    TN.Else = TN.Close + 1;
  }
  TN.Scope = ++ScopeCount;
  R.Timeouts.push_back(TN);
  return {Open, static_cast<int>(TN.Scope)};
}

void Parser::walk(int Begin, int End, bool Directive) {
  std::vector<Context> Stack(1);
  Stack.back().Close = End;
  // Blocks that handlers opened, pushed when the walk reaches their `{`
  // (a timeout's comes after its duration, which the walk goes through).
  std::vector<Push> Pending;
  if (Directive) {
    // `#define NAME(a, b, ...)`: the parameter names (and __VA_ARGS__).
    MacroParams.clear();
    if (T.is(Begin + 1, tok::l_paren) && T.adjacent(Begin + 1) &&
        T[Begin + 1].Match > Begin + 1 && T[Begin + 1].Match < End) {
      for (int P = Begin + 2; P < T[Begin + 1].Match; ++P)
        if (T.isIdent(P))
          MacroParams.push_back(T.text(P));
      MacroParams.push_back("__VA_ARGS__");
    }
  }
  for (int I = Begin; I < End; ++I) {
    const Token &Tk = T[I];
    if (!Directive && Tk.InDirective) {
      // A `#define` body is its own region; other directives hold no code.
      int J = I + 1;
      while (J < End && T[J].InDirective && !T[J].StartOfLine)
        ++J;
      if (T.isWord(I + 1, "define") && T.is(I, tok::hash))
        walk(I + 2, J, true);
      I = J - 1;
      continue;
    }
    if (Tk.Kind == tok::l_brace && Tk.Match > I && Tk.Match < End) {
      const Context &Outer = Stack.back();
      Context C = Outer;
      int Scope = -1;
      if (!Pending.empty() && Pending.back().Open == I) {
        Scope = Pending.back().Scope;
        Pending.pop_back();
      }
      if (Scope >= 0) {
        C.Scope = Scope;
        C.ScopeOpen = I;
        C.InScopeFrame = true;
      } else if (FuncLike[I]) {
        // A lambda that refers to the enclosing variables by default can
        // name the block's `__cprime_scope`, as a spawn from a macro used
        // there does: a spawn written in it attaches to the block too.
        if (!capturesByReference(I, Outer))
          C.Scope = -1;
        C.InScopeFrame = false;
      }
      if (FuncLike[I]) {
        C.Coroutine = Coroutine[I];
        C.InFunction = true;
      }
      // `this`: CPrime's own blocks and lambdas capturing by default or
      // `this` keep the outer one; a function body has its own.
      C.InClass = false;
      if (FuncLike[I] &&
          !isWordIn(T, I - 1, {"spawn", "blocking", "parallel", "defer"})) {
        int Intro = lambdaIntroducer(I);
        C.HasThis = Intro >= 0 ? Outer.HasThis && capturesThis(Intro)
                               : functionHasThis(I, Outer);
      } else if (!FuncLike[I] && Scope < 0 && isClassBody(I)) {
        C.InClass = true;
        C.HasThis = false;
      } else if (T.is(I - 1, tok::r_square) && T[I - 1].Match >= 0 &&
                 isWordIn(T, T[I - 1].Match - 1, {"spawn", "blocking"})) {
        C.HasThis = Outer.HasThis && capturesThis(T[I - 1].Match);
      }
      C.Close = Tk.Match;
      Stack.push_back(C);
      continue;
    }
    if (Tk.Kind == tok::r_brace && Stack.size() > 1 && Stack.back().Close == I) {
      Stack.pop_back();
      continue;
    }
    if (Tk.Kind != tok::raw_identifier)
      continue;
    const Context &C = Stack.back();
    int Limit = Directive ? End : C.Close;
    llvm::StringRef W = T.text(I);
    if (W == "spawn")
      handleSpawn(I, Begin, Limit, C);
    else if (W == "co_await")
      handleAwait(I, Limit, C);
    else if (W == "select")
      handleSelect(I, Begin, Limit);
    else if (W == "parallel") {
      if (Push P = handleParallel(I, Begin, Limit); P.Open >= 0)
        Pending.push_back(P);
    }
    else if (W == "defer")
      handleDefer(I, Begin, Limit);
    else if (W == "timeout") {
      if (Push P = handleTimeout(I, Begin, Limit); P.Open >= 0)
        Pending.push_back(P);
    }
  }
}

ParseResult Parser::run() {
  findCoroutines();
  collectNames();
  walk(0, N, false);
  return std::move(R);
}

} // namespace

ParseResult parse(const TokenBuffer &Toks, DiagnosticList &Diags) {
  return Parser(Toks, Diags).run();
}

} // namespace cprime
