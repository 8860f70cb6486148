//===- Document.h - one file as the editor and as clangd see it -*- C++ -*-===//
//
// A Document holds the editor's text of one file and the text clangd is
// given for it. For a file that does not opt in they are the same bytes. For
// an enabled file clangd gets the rewriter's output, and positions are
// translated through the rewriter's OffsetMap. The rewriter keeps every
// line where it was, so only columns move; the map handles both anyway.
//
// When the rewriter reports CPrime syntax errors (the user is typing, or
// made a mistake), the erroneous lines are blanked (their text replaced by
// spaces, brackets that open or close a multi-line block kept) and the
// rewrite retried, so clangd still checks, completes and hovers the rest of
// the file. clangd's own diagnostics on blanked lines are dropped: the
// CPrime error is the one the user needs there. If blanking does not
// converge, clangd gets the raw text and only the CPrime errors are shown,
// as the compiler plugin does.
//
//===----------------------------------------------------------------------===//

#ifndef CPRIME_CLANGD_DOCUMENT_H
#define CPRIME_CLANGD_DOCUMENT_H

#include "Rewrite.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cprime::clangd {

/// The unit of LSP's Position.character, as negotiated with the editor.
enum class Encoding { UTF8, UTF16, UTF32 };

struct Position {
  int Line = 0;
  int Character = 0;
};

/// LineIndex converts between byte offsets and LSP positions in one text.
/// It refers to the text; keep the text alive and unchanged.
class LineIndex {
public:
  LineIndex() = default;
  explicit LineIndex(llvm::StringRef Text);

  /// The byte offset of \p P, clamped to the line's end and the text's end.
  uint32_t offset(Position P, Encoding E) const;
  Position position(uint32_t Offset, Encoding E) const;
  int lines() const { return static_cast<int>(Starts.size()); }

private:
  llvm::StringRef Text;
  std::vector<uint32_t> Starts;
};

class Document {
public:
  /// Sets the editor's text and recomputes what clangd sees.
  void setText(std::string Text, bool Force = false);
  const std::string &text() const { return Original; }

  /// The file opts in to CPrime.
  bool enabled() const { return Enabled; }
  /// The text clangd is given.
  const std::string &clangdText() const { return Rewritten; }
  /// CPrime syntax errors, at offsets of text().
  const DiagnosticList &errors() const { return Errors; }
  /// clangd's diagnostics are meaningless for this text (see above).
  bool suppressClangd() const { return Suppress; }
  /// Line \p L (0-based) was blanked to recover from an error.
  bool blanked(int L) const;

  /// Editor position to clangd position. \p End: the position ends a range
  /// (inside inserted text it then maps past the text, not before it).
  Position toClangd(Position P, Encoding E, bool End = false) const;
  /// clangd position to editor position.
  Position toEditor(Position P, Encoding E, bool End = false) const;
  /// The clangd-side position lies in text the lowering inserted.
  bool inserted(Position P, Encoding E) const;
  /// Editor position of an offset of text().
  Position editorPosition(uint32_t Offset, Encoding E) const {
    return OriginalLines.position(Offset, E);
  }

private:
  std::string Original;
  std::string Rewritten;
  bool Enabled = false;
  bool Suppress = false;
  DiagnosticList Errors;
  std::vector<int> Blanked;
  OffsetMap Map;
  LineIndex OriginalLines;
  LineIndex RewrittenLines;
};

/// Applies one LSP incremental change to \p Text.
void applyChange(std::string &Text, Position Start, Position End,
                 llvm::StringRef NewText, Encoding E);

} // namespace cprime::clangd

#endif
