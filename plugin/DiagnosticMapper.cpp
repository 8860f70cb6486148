//===- DiagnosticMapper.cpp - Clang's diagnostics on the user's text ------===//
//
// How a diagnostic is carried over (checked against Clang 19's sources):
//  - A file location in a rewritten FileID goes through the rewrite's
//    OffsetMap to the twin FileID: the user's bytes exactly, inserted text to
//    the token it stands for or to its construct's keyword.
//  - A macro location is rebuilt: its expansion entry is copied with the
//    spelling and expansion locations mapped and the same length, so a token
//    keeps its offset in the entry and Clang's "expanded from macro" notes
//    and range mapping work as for any macro. An entry whose spelling run in
//    a rewritten file is not one piece of the user's text gets a copy per
//    location instead.
//  - A token range is turned into a character range first (its end token is
//    measured in the rewritten text, where it was lexed).
//  - Fix-its are kept only if every one of them edits the user's own bytes;
//    otherwise the diagnostic loses its fix-its rather than offer an edit
//    the user's text cannot take.
//  - The rebuilt diagnostic is a StoredDiagnostic with Clang's formatted
//    message, ID and level, reported through a second DiagnosticsEngine that
//    shares the IDs, options and SourceManager and whose client is the
//    wrapped consumer. (The engine whose diagnostic is in flight cannot
//    report another one; a flag value such as -Rpass=inline's "=inline" is
//    the only thing a StoredDiagnostic does not carry.)
//
//===----------------------------------------------------------------------===//

#include "DiagnosticMapper.h"

#include "clang/Basic/SourceManagerInternals.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/MemoryBuffer.h"

#include <mutex>

using namespace clang;

namespace cprime {

namespace {

// The mappers alive, so that install() recognises one already in front of
// an engine (there is no RTTI to ask the consumer).
std::mutex LiveMutex;
llvm::DenseSet<const DiagnosticConsumer *> &live() {
  static llvm::DenseSet<const DiagnosticConsumer *> Live;
  return Live;
}

} // namespace

DiagnosticMapper &DiagnosticMapper::install(CompilerInstance &CI) {
  DiagnosticsEngine &DE = CI.getDiagnostics();
  {
    std::lock_guard<std::mutex> Lock(LiveMutex);
    if (live().contains(DE.getClient()))
      return *static_cast<DiagnosticMapper *>(DE.getClient());
  }
  DiagnosticConsumer *Inner = DE.getClient();
  std::unique_ptr<DiagnosticConsumer> Owned = DE.takeClient();
  auto *M = new DiagnosticMapper(DE, Inner, std::move(Owned), CI.getLangOpts());
  DE.setClient(M, /*ShouldOwnClient=*/true);
  return *M;
}

DiagnosticMapper::DiagnosticMapper(DiagnosticsEngine &Engine,
                                   DiagnosticConsumer *Inner,
                                   std::unique_ptr<DiagnosticConsumer> Owned,
                                   const LangOptions &LO)
    : Engine(Engine), Inner(Inner), Owned(std::move(Owned)), LangOpts(&LO) {
  mirrorCounts();
  std::lock_guard<std::mutex> Lock(LiveMutex);
  live().insert(this);
}

DiagnosticMapper::~DiagnosticMapper() {
  std::lock_guard<std::mutex> Lock(LiveMutex);
  live().erase(this);
}

void DiagnosticMapper::addFile(FileEntryRef File, llvm::StringRef Original,
                               OffsetMap Map) {
  SM = &Engine.getSourceManager();
  Files.push_back(std::unique_ptr<Rewritten>(
      new Rewritten{Original.str(), File.getName().str(), std::move(Map),
                    File}));
  ByEntry[&File.getFileEntry()] = Files.back().get();
}

void DiagnosticMapper::addBuffer(FileID FID, llvm::StringRef Original,
                                 OffsetMap Map) {
  SM = &Engine.getSourceManager();
  Files.push_back(std::unique_ptr<Rewritten>(new Rewritten{
      Original.str(), SM->getBufferOrFake(FID).getBufferIdentifier().str(),
      std::move(Map), std::nullopt}));
  ByBuffer[FID] = Files.back().get();
}

void DiagnosticMapper::mirrorCounts() {
  NumErrors = Inner->getNumErrors();
  NumWarnings = Inner->getNumWarnings();
}

void DiagnosticMapper::BeginSourceFile(const LangOptions &LO,
                                       const Preprocessor *PP) {
  LangOpts = &LO;
  Inner->BeginSourceFile(LO, PP);
  mirrorCounts();
}

// The FileIDs and rewrites belong to this source file's SourceManager.
void DiagnosticMapper::EndSourceFile() {
  Inner->EndSourceFile();
  mirrorCounts();
  Files.clear();
  ByEntry.clear();
  ByBuffer.clear();
  Twins.clear();
  Expansions.clear();
  Replay.reset();
  SM = nullptr;
}

void DiagnosticMapper::finish() {
  Inner->finish();
  mirrorCounts();
}

void DiagnosticMapper::clear() {
  Inner->clear();
  mirrorCounts();
}

bool DiagnosticMapper::IncludeInDiagnosticCounts() const {
  return Inner->IncludeInDiagnosticCounts();
}

void DiagnosticMapper::forward(DiagnosticsEngine::Level Level,
                               const clang::Diagnostic &Info) {
  Inner->HandleDiagnostic(Level, Info);
  mirrorCounts();
}

// The rewrite FID holds, if it holds one (a twin holds none).
const DiagnosticMapper::Rewritten *DiagnosticMapper::rewrittenFile(FileID FID) {
  auto Found = Twins.find(FID);
  if (Found != Twins.end())
    return Found->second.R;
  const Rewritten *R = ByBuffer.lookup(FID);
  if (!R)
    if (OptionalFileEntryRef FE = SM->getFileEntryRefForID(FID))
      R = ByEntry.lookup(&FE->getFileEntry());
  return R;
}

// Whether Loc, or a location its macro expansion was spelled or expanded
// at, is on a line of a rewritten file that differs from the user's line.
bool DiagnosticMapper::onRewrittenLine(SourceLocation Loc, unsigned Depth) {
  if (Loc.isInvalid() || Depth > 64)
    return Loc.isValid();
  if (Loc.isMacroID()) {
    auto [FID, Offset] = SM->getDecomposedLoc(Loc);
    // A copy: the table the entry is in may move.
    SrcMgr::ExpansionInfo X = SM->getSLocEntry(FID).getExpansion();
    return onRewrittenLine(X.getSpellingLoc().getLocWithOffset(Offset),
                           Depth + 1) ||
           onRewrittenLine(X.getExpansionLocStart(), Depth + 1) ||
           onRewrittenLine(X.getExpansionLocEnd(), Depth + 1);
  }
  auto [FID, Offset] = SM->getDecomposedLoc(Loc);
  const Rewritten *R = rewrittenFile(FID);
  if (!R)
    return false;
  // The line around Offset, here and in the user's text; newlines are
  // always copied, so they map exactly.
  llvm::StringRef Text = SM->getBufferData(FID);
  Offset = std::min<unsigned>(Offset, Text.size());
  size_t Begin = Text.rfind('\n', Offset == 0 ? 0 : Offset - 1);
  Begin = Offset == 0 || Begin == llvm::StringRef::npos ? 0 : Begin + 1;
  size_t End = std::min(Text.find('\n', Offset), Text.size());
  uint32_t SrcBegin = Begin == 0 ? 0 : R->Map.toSource(Begin - 1) + 1;
  uint32_t SrcEnd = End == Text.size() ? R->Original.size()
                                       : R->Map.toSource(End);
  if (SrcEnd < SrcBegin)
    return true;
  return Text.slice(Begin, End) !=
         llvm::StringRef(R->Original).slice(SrcBegin, SrcEnd);
}

bool DiagnosticMapper::onRewrittenLine(const clang::Diagnostic &Info) {
  if (onRewrittenLine(Info.getLocation()))
    return true;
  for (const CharSourceRange &R : Info.getRanges())
    if (onRewrittenLine(R.getBegin()) || onRewrittenLine(R.getEnd()))
      return true;
  for (const FixItHint &F : Info.getFixItHints())
    if (onRewrittenLine(F.RemoveRange.getBegin()) ||
        onRewrittenLine(F.RemoveRange.getEnd()) ||
        onRewrittenLine(F.InsertFromRange.getBegin()) ||
        onRewrittenLine(F.InsertFromRange.getEnd()))
      return true;
  return false;
}

const DiagnosticMapper::Twin *DiagnosticMapper::twinOf(FileID FID) {
  auto Found = Twins.find(FID);
  if (Found != Twins.end()) {
    if (!Found->second.R)
      return nullptr;
    copyLineEntries(FID, Found->second);
    return &Found->second;
  }
  const Rewritten *R = rewrittenFile(FID);
  if (!R) {
    Twins[FID] = Twin{};
    return nullptr;
  }
  // Where the file was included from, on the includer's twin if it has one;
  // Twins may grow while that is mapped.
  SourceLocation Include = mapLoc(SM->getIncludeLoc(FID));
  SrcMgr::CharacteristicKind Kind =
      SM->getFileCharacteristic(SM->getLocForStartOfFile(FID));
  FileID ID = SM->createFileID(
      llvm::MemoryBuffer::getMemBufferCopy(R->Original, R->Name), Kind,
      /*LoadedID=*/0, /*LoadedOffset=*/0, Include);
  if (R->File) {
    // The twin is the same file to every consumer: -verify and SARIF
    // identify a location's file by its entry, and -fixit writes the twin's
    // text, the user's, back to it. SourceManager has no call that gives a
    // FileID a file entry and a different buffer; OrigEntry is a public
    // member of a cache SourceManager allocated, not a const object.
    const SrcMgr::ContentCache &Cache =
        SM->getSLocEntry(ID).getFile().getContentCache();
    const_cast<SrcMgr::ContentCache &>(Cache).OrigEntry = R->File;
  }
  Twins[ID] = Twin{};
  Twin &T = Twins[FID] = Twin{R, ID, 0};
  copyLineEntries(FID, T);
  return &T;
}

// #line and line markers seen in the rewritten file so far, at the twin's
// offsets (a directive's line is the user's, byte for byte).
void DiagnosticMapper::copyLineEntries(FileID FID, Twin &T) {
  if (!SM->hasLineTable())
    return;
  LineTableInfo &Table = SM->getLineTable();
  std::vector<LineEntry> Entries;
  for (auto &[ID, List] : Table)
    if (ID == FID) {
      Entries = List;
      break;
    }
  if (Entries.size() == T.LineEntries)
    return;
  T.LineEntries = Entries.size();
  for (LineEntry &E : Entries) {
    E.FileOffset = T.R->Map.toSource(E.FileOffset);
    if (E.IncludeOffset)
      E.IncludeOffset = T.R->Map.toSource(E.IncludeOffset);
  }
  Table.AddEntry(T.ID, Entries);
  // As SourceManager::AddLineNote does: the file's entries are consulted
  // only once it is marked as having some.
  const_cast<SrcMgr::FileInfo &>(SM->getSLocEntry(T.ID).getFile())
      .setHasLineDirectives();
}

SourceLocation DiagnosticMapper::mapLoc(SourceLocation Loc, bool RangeEnd) {
  if (Loc.isInvalid())
    return Loc;
  auto [FID, Offset] = SM->getDecomposedLoc(Loc);
  bool Invalid = false;
  const SrcMgr::SLocEntry &Entry = SM->getSLocEntry(FID, &Invalid);
  if (Invalid)
    return Loc;
  if (Entry.isFile()) {
    const Twin *T = twinOf(FID);
    if (!T)
      return Loc;
    return SM->getLocForStartOfFile(T->ID).getLocWithOffset(
        T->R->Map.toSource(Offset, RangeEnd));
  }
  // A copy: creating entries may move the table Entry is in.
  SrcMgr::ExpansionInfo X = Entry.getExpansion();
  SourceLocation Start = mapExpansion(FID);
  if (Start.isValid())
    return Start.getLocWithOffset(Offset);
  // The spelling run is not one piece of the user's text: a copy of the
  // entry for this location alone, spelled where its token maps to.
  SourceLocation Spelling = mapLoc(X.getSpellingLoc().getLocWithOffset(Offset));
  SourceLocation Begin = mapLoc(X.getExpansionLocStart());
  if (X.isMacroArgExpansion())
    return SM->createMacroArgExpansionLoc(Spelling, Begin, 1);
  return SM->createExpansionLoc(Spelling, Begin,
                                mapLoc(X.getExpansionLocEnd()), 1,
                                X.isExpansionTokenRange());
}

// The start of FID's copy over twin locations; FID's own start when nothing
// in it is rewritten; invalid when it needs a copy per location.
SourceLocation DiagnosticMapper::mapExpansion(FileID FID) {
  auto Found = Expansions.find(FID);
  if (Found != Expansions.end())
    return Found->second;
  // A copy: creating entries may move the table the entry is in.
  SrcMgr::ExpansionInfo X = SM->getSLocEntry(FID).getExpansion();
  SourceLocation Own = SM->getLocForStartOfFile(FID);
  unsigned Length = SM->getFileIDSize(FID);
  SourceLocation Spelling = X.getSpellingLoc();
  SourceLocation NewSpelling = Spelling;
  if (Spelling.isFileID()) {
    auto [SpellFID, SpellOffset] = SM->getDecomposedLoc(Spelling);
    if (const Twin *T = twinOf(SpellFID)) {
      std::optional<uint32_t> Src = T->R->Map.exactSource(SpellOffset, Length);
      if (!Src)
        return Expansions[FID] = SourceLocation();
      NewSpelling = SM->getLocForStartOfFile(T->ID).getLocWithOffset(*Src);
    }
  } else {
    NewSpelling = mapLoc(Spelling);
  }
  SourceLocation Begin = mapLoc(X.getExpansionLocStart());
  SourceLocation End = X.isMacroArgExpansion()
                           ? X.getExpansionLocEnd()
                           : mapLoc(X.getExpansionLocEnd());
  if (NewSpelling == Spelling && Begin == X.getExpansionLocStart() &&
      End == X.getExpansionLocEnd())
    return Expansions[FID] = Own;
  SourceLocation Copy =
      X.isMacroArgExpansion()
          ? SM->createMacroArgExpansionLoc(NewSpelling, Begin, Length)
          : SM->createExpansionLoc(NewSpelling, Begin, End, Length,
                                   X.isExpansionTokenRange());
  return Expansions[FID] = Copy;
}

// R as a character range in one file: its FileID and offsets, the end
// token measured where Clang lexed it.
bool DiagnosticMapper::decompose(CharSourceRange R, FileID &FID,
                                 unsigned &Begin, unsigned &End) {
  if (!R.getBegin().isFileID() || !R.getEnd().isFileID())
    return false;
  auto [BF, BO] = SM->getDecomposedLoc(R.getBegin());
  auto [EF, EO] = SM->getDecomposedLoc(R.getEnd());
  if (BF != EF || EO < BO)
    return false;
  if (R.isTokenRange())
    EO += Lexer::MeasureTokenLength(R.getEnd(), *SM, *LangOpts);
  FID = BF;
  Begin = BO;
  End = EO;
  return true;
}

// A range to show: a range over inserted text covers what it stands for.
std::optional<CharSourceRange> DiagnosticMapper::mapRange(CharSourceRange R) {
  if (R.isInvalid())
    return R;
  FileID FID;
  unsigned Begin, End;
  if (decompose(R, FID, Begin, End)) {
    const Twin *T = twinOf(FID);
    if (!T)
      return R;
    uint32_t B = T->R->Map.toSource(Begin);
    uint32_t E = T->R->Map.toSource(End, /*RangeEnd=*/true);
    if (E < B)
      return std::nullopt;
    SourceLocation Start = SM->getLocForStartOfFile(T->ID);
    return CharSourceRange::getCharRange(Start.getLocWithOffset(B),
                                         Start.getLocWithOffset(E));
  }
  return CharSourceRange(SourceRange(mapLoc(R.getBegin()), mapLoc(R.getEnd())),
                         R.isTokenRange());
}

// A range to edit: only the user's own bytes, exactly.
std::optional<CharSourceRange> DiagnosticMapper::mapExactly(CharSourceRange R) {
  if (R.isInvalid())
    return R;
  FileID FID;
  unsigned Begin, End;
  if (!decompose(R, FID, Begin, End)) {
    if (mapLoc(R.getBegin()) == R.getBegin() &&
        mapLoc(R.getEnd()) == R.getEnd())
      return R;
    return std::nullopt;
  }
  const Twin *T = twinOf(FID);
  if (!T)
    return R;
  std::optional<uint32_t> Src = T->R->Map.exactSource(Begin, End - Begin);
  if (!Src)
    return std::nullopt;
  SourceLocation Start = SM->getLocForStartOfFile(T->ID);
  return CharSourceRange::getCharRange(
      Start.getLocWithOffset(*Src), Start.getLocWithOffset(*Src + End - Begin));
}

void DiagnosticMapper::HandleDiagnostic(DiagnosticsEngine::Level Level,
                                        const clang::Diagnostic &Info) {
  // Another SourceManager's diagnostic (an implicit module build forwards
  // its diagnostics here) has no rewritten files, whatever its file entries.
  if (Files.empty() || !Info.hasSourceManager() ||
      &Info.getSourceManager() != SM)
    return forward(Level, Info);

  if (!onRewrittenLine(Info))
    return forward(Level, Info);

  SourceLocation Loc = mapLoc(Info.getLocation());
  bool Changed = Loc != Info.getLocation();

  llvm::SmallVector<CharSourceRange, 4> Ranges;
  for (const CharSourceRange &R : Info.getRanges()) {
    std::optional<CharSourceRange> M = mapRange(R);
    Changed |= !M || M->getAsRange() != R.getAsRange() ||
               M->isTokenRange() != R.isTokenRange();
    if (M)
      Ranges.push_back(*M);
  }

  llvm::SmallVector<FixItHint, 4> FixIts;
  for (const FixItHint &F : Info.getFixItHints()) {
    std::optional<CharSourceRange> Remove = mapExactly(F.RemoveRange);
    std::optional<CharSourceRange> From = mapExactly(F.InsertFromRange);
    if (!Remove || !From) {
      FixIts.clear();
      Changed = true;
      break;
    }
    FixItHint H = F;
    H.RemoveRange = *Remove;
    H.InsertFromRange = *From;
    Changed |= Remove->getAsRange() != F.RemoveRange.getAsRange() ||
               From->getAsRange() != F.InsertFromRange.getAsRange();
    FixIts.push_back(H);
  }

  if (!Changed)
    return forward(Level, Info);

  llvm::SmallString<256> Message;
  Info.FormatDiagnostic(Message);
  if (!Replay) {
    Replay = std::make_unique<DiagnosticsEngine>(
        Engine.getDiagnosticIDs(), &Engine.getDiagnosticOptions(), Inner,
        /*ShouldOwnClient=*/false);
    Replay->setSourceManager(SM);
  }
  Replay->Report(StoredDiagnostic(Level, Info.getID(), Message,
                                  FullSourceLoc(Loc, *SM), Ranges, FixIts));
  mirrorCounts();
}

} // namespace cprime
