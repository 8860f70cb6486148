//===- Skim.h - just enough C++ to find where an operand ends ---*- C++ -*-===//
//
// The Parser never builds a C++ AST. What it needs to know of C++ is here:
// where a statement may start (so that a contextual keyword is one), where a
// statement, a unary or postfix expression, a template argument list or a
// lambda ends. Every query works on token indices of one TokenBuffer, stays
// below a Limit (the enclosing closer) and within its region (code or one
// #define body), and answers "no" rather than guess on unbalanced input.
//
//===----------------------------------------------------------------------===//

#ifndef CPRIME_REWRITER_SKIM_H
#define CPRIME_REWRITER_SKIM_H

#include "Scanner.h"

#include <initializer_list>

#include "llvm/ADT/StringRef.h"

namespace cprime {

/// True when token \p I is an identifier spelled as one of \p Words.
bool isWordIn(const TokenBuffer &T, int I,
              std::initializer_list<llvm::StringRef> Words);

class Skim {
public:
  explicit Skim(const TokenBuffer &T) : T(T), N(T.size()) {}

  /// The previous token of the same region at or after \p Lo, or -1: code
  /// skips directive lines, a directive never looks past its own line.
  int prevToken(int I, int Lo) const;
  /// A statement may start at \p I: after `;` `{` `}` `else` `do`, a
  /// control header's `)`, a label, an attribute, a select arm's `=>`, or
  /// first in a #define body.
  bool isStatementStart(int I, int Lo) const;
  /// Right after `=` or `return`: where `spawn`/`parallel` are values.
  bool isExpressionStart(int I, int Lo) const;
  /// Right after `(` or `,`: a call argument.
  bool isArgumentStart(int I, int Lo) const;
  /// \p I opens a bracket whose closer comes before \p Limit.
  bool matched(int I, int Limit) const {
    return T.isOpen(I) && T[I].Match > I && T[I].Match < Limit;
  }
  /// The last token of the statement starting at \p I, or -1 when it does
  /// not end before \p Limit.
  int skipStatement(int I, int Limit, int Depth = 0) const;
  /// The index past the `>` of template arguments opening at \p I, or \p I
  /// when that `<` is a comparison.
  int skipTemplateArgs(int I, int Limit) const;
  /// The index past the unary (or postfix) expression at \p I; \p I when
  /// there is none.
  int parseUnary(int I, int Limit) const;
  int parsePostfix(int I, int Limit) const;
  /// The `}` of the lambda whose captures open at \p Open, or -1 when that
  /// `[` starts no lambda (`a[i] = …`).
  int lambdaBodyClose(int Open, int Limit) const;
  /// The index past the name at \p I: `::`? name (`::` name | `<` … `>`)*;
  /// \p I when there is none.
  int skipName(int I, int Limit) const;
  /// [B, E) is a name and nothing else.
  bool isIdExpression(int B, int E) const;

protected:
  const TokenBuffer &T;
  int N;

private:
  bool endsLabel(int Colon, int Lo) const;
  mutable int LabelDepth = 0; // bounds the recursion through chained labels
};

} // namespace cprime

#endif
