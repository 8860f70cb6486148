//===- Parser.h - the CPrime constructs of one file -------------*- C++ -*-===//
//
// The Parser finds the CPrime constructs (docs/language.md) in a file's raw tokens
// and records each as a node of token indices. Everything else is C++ and
// passes through untouched as runs of tokens: the Parser never builds a C++
// AST, it only knows enough C++ to find where a construct's operands end.
//
// Keywords are contextual: `spawn`, `select`, `parallel`, `defer`, `timeout`
// act only at the start of a statement (and `spawn`/`parallel` also right
// after `=` or `return`), and only when followed by their form's next token;
// `co_await` acts anywhere outside native C++20 coroutines.
//
//===----------------------------------------------------------------------===//

#ifndef CPRIME_REWRITER_PARSER_H
#define CPRIME_REWRITER_PARSER_H

#include "Diagnostics.h"
#include "Scanner.h"

#include <string>
#include <vector>

namespace cprime {

/// `spawn [blocking] callee(args)`, `spawn [blocking] [[caps]] { body }`, or
/// `spawn [blocking] [caps] mutable { body }` (Lambda: a lambda taking no
/// arguments, spawned as written).
struct SpawnNode {
  enum FormKind { Call, MemberCall, Block, CapturedBlock, Lambda };
  FormKind Form = Call;
  int Keyword = -1;
  int Blocking = -1;   // the `blocking` token, or -1
  int With = -1;       // `with` of `spawn with(options) operand`, or -1
  bool Expression = false; // `auto h = spawn …`: no statement of its own
  bool InDirective = false; // in a #define body: its use decides statement or value
  int Scope = -1;      // enclosing parallel/timeout scope number, or -1
  // Directly in that block's frame (not in a lambda within it): a spawned
  // block may refer to the variables around it, as the block outlives it.
  bool InScopeFrame = false;
  // `this` is usable where the spawn stands (a non-static member function,
  // or a lambda in one that captures it): the lowering captures it
  // explicitly, as C++20 deprecates its implicit capture by `[=]`.
  bool HasThis = false;
  // The spawn stands in a block scope (a function or lambda body), where the
  // lowering's lambdas may capture by default.
  bool Local = false;
  // The callee is a name (`handle`, `ns::f<int>`): with HasThis it may be an
  // implicit member call, so it is called from a lambda capturing `this`.
  bool BareName = false;
  // Call forms: callee is [Keyword+1 (or Blocking+1), CallOpen).
  int CalleeBegin = -1, MemberOp = -1, CallOpen = -1, CallClose = -1;
  // Block forms.
  int BodyOpen = -1, BodyClose = -1;
  // The `{` of the enclosing parallel/timeout block, or -1: the lowering
  // copies the variables of the `for` loops between it and the spawn.
  int ScopeOpen = -1;
};

/// `co_await operand` in a function that is not a native C++20 coroutine.
struct AwaitNode {
  int Keyword = -1;
  int OperandLast = -1;
};

struct SelectArm {
  enum ArmKind { Decl, Name, Discard, Bare, Default };
  ArmKind Kind = Bare;
  bool TypedCase = false; // `int x = c.recv()`: disabled once c is closed
  int Begin = -1;         // first token of the arm
  int Equal = -1;         // the binding's `=`, or -1
  int OperandBegin = -1, OperandLast = -1;
  int Arrow = -1;         // the `=` of `=>`; the `>` follows it
  int BodyBegin = -1, BodyLast = -1;
  int Index = -1;         // argument position in ::cprime::select, or -1
};

struct SelectNode {
  int Keyword = -1, Open = -1, Close = -1;
  unsigned Number = 0;
  std::vector<SelectArm> Arms;
  bool HasDefault = false;
};

/// `parallel { body }`, statement or expression form.
struct ParallelNode {
  int Keyword = -1, Open = -1, Close = -1;
  unsigned Scope = 0;
  bool Expression = false;
};

/// `defer stmt;` or `defer { body }`.
struct DeferNode {
  int Keyword = -1, Last = -1;
  bool Block = false;
  bool InDirective = false; // in a #define body: the guard's name is unique per expansion
  bool OpenTail = false;    // `#define D(x) defer x`: the use supplies the `;`
  int AttrBegin = -1, AttrEnd = -1; // `[[likely]]` before it, dropped
  unsigned Number = 0;
};

/// `timeout (duration) { body } [else { alt }]`.
struct TimeoutNode {
  int Keyword = -1, DurationOpen = -1, DurationClose = -1;
  int Open = -1, Close = -1, Else = -1;
  unsigned Scope = 0;
};

struct ParseResult {
  std::vector<SpawnNode> Spawns;
  std::vector<AwaitNode> Awaits;
  std::vector<SelectNode> Selects;
  std::vector<ParallelNode> Parallels;
  std::vector<DeferNode> Defers;
  std::vector<TimeoutNode> Timeouts;
};

/// parse finds every construct of the file; malformed ones are reported to
/// \p Diags (at a byte offset) and left out of the result.
ParseResult parse(const TokenBuffer &Toks, DiagnosticList &Diags);

} // namespace cprime

#endif
