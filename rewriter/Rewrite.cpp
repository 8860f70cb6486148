//===- Rewrite.cpp - the rewriter's one entry point -----------------------===//

#include "Rewrite.h"

#include "Emitter.h"
#include "Lower.h"
#include "Parser.h"
#include "Scanner.h"

#include <algorithm>

namespace cprime {

llvm::StringRef diagMessage(DiagID ID) {
  switch (ID) {
#define CPRIME_DIAG(Name, Message)                                             \
  case DiagID::Name:                                                           \
    return Message;
#include "Diagnostics.def"
  }
  return "unknown CPrime diagnostic";
}

RewriteResult rewrite(llvm::StringRef Source, bool Force) {
  RewriteResult Result;
  if (!Force && !isCPrimeEnabled(Source))
    return Result;
  Result.Enabled = true;

  TokenBuffer Toks(Source);
  ParseResult Nodes = parse(Toks, Result.Diags);
  if (!Result.Diags.empty()) {
    Result.Text = Source.str();
    std::sort(Result.Diags.begin(), Result.Diags.end(),
              [](const Diagnostic &A, const Diagnostic &B) {
                return A.Offset != B.Offset ? A.Offset < B.Offset
                                            : A.ID < B.ID;
              });
    return Result;
  }

  Emitter E(Toks);
  for (const SelectNode &N : Nodes.Selects)
    lowerSelect(N, Toks, E);
  for (const TimeoutNode &N : Nodes.Timeouts)
    lowerTimeout(N, Toks, E);
  for (const ParallelNode &N : Nodes.Parallels)
    lowerParallel(N, Toks, E);
  for (const DeferNode &N : Nodes.Defers)
    lowerDefer(N, Toks, E);
  for (const SpawnNode &N : Nodes.Spawns)
    lowerSpawn(N, Toks, E);
  for (const AwaitNode &N : Nodes.Awaits)
    lowerAwait(N, Toks, E);
  std::vector<Span> Spans;
  Result.Text = E.render(&Spans);

  if (std::count(Result.Text.begin(), Result.Text.end(), '\n') !=
      std::count(Source.begin(), Source.end(), '\n')) {
    Result.Text = Source.str();
    Result.Diags.push_back({DiagID::InternalLineCount, 0});
    return Result;
  }
  Result.Map = OffsetMap(std::move(Spans), Source.size(), Result.Text.size());
  return Result;
}

OffsetMap::OffsetMap(std::vector<Span> S, uint32_t SourceSize, uint32_t OutSize)
    : Spans(std::move(S)), SourceSize(SourceSize), OutSize(OutSize) {
  BySrc.resize(Spans.size());
  for (uint32_t I = 0; I < BySrc.size(); ++I)
    BySrc[I] = I;
  std::sort(BySrc.begin(), BySrc.end(), [&](uint32_t A, uint32_t B) {
    return Spans[A].Src != Spans[B].Src ? Spans[A].Src < Spans[B].Src : A < B;
  });
}

uint32_t OffsetMap::toSource(uint32_t Out, bool RangeEnd) const {
  if (Spans.empty())
    return Out;
  if (Out >= OutSize)
    return SourceSize;
  auto It = std::upper_bound(
      Spans.begin(), Spans.end(), Out,
      [](uint32_t O, const Span &Sp) { return O < Sp.Out; });
  const Span &Sp = *std::prev(It);
  // A range that ends where a span starts ends with the span before it: the
  // end of `v` in a flat-rendered `int v =` is not the end of the gap after.
  if (RangeEnd && Out == Sp.Out && std::prev(It) != Spans.begin()) {
    const Span &Before = *std::prev(It, 2);
    return Before.Verbatim ? Before.Src + Before.OutLength
                           : Before.Src + Before.SrcLength;
  }
  if (Sp.Verbatim)
    return Sp.Src + (Out - Sp.Out);
  return RangeEnd ? Sp.Src + Sp.SrcLength : Sp.Report;
}

std::optional<uint32_t> OffsetMap::exactSource(uint32_t Out,
                                               uint32_t Len) const {
  if (Spans.empty())
    return Out;
  if (Out > OutSize || Len > OutSize - Out)
    return std::nullopt;
  auto At = [&](uint32_t O) {
    return std::prev(std::upper_bound(
        Spans.begin(), Spans.end(), O,
        [](uint32_t X, const Span &Sp) { return X < Sp.Out; }));
  };
  if (Len == 0) {
    // Before the byte at Out, or else after the byte before it.
    if (Out < OutSize) {
      if (auto It = At(Out); It->Verbatim)
        return It->Src + (Out - It->Out);
    }
    if (Out > 0) {
      if (auto It = At(Out - 1); It->Verbatim)
        return It->Src + (Out - It->Out);
    }
    return std::nullopt;
  }
  auto It = At(Out);
  if (!It->Verbatim)
    return std::nullopt;
  uint32_t Start = It->Src + (Out - It->Out);
  // Consecutive verbatim spans that continue each other in the input.
  for (uint32_t End = Out + Len;;) {
    if (End <= It->Out + It->OutLength)
      return Start;
    auto Next = std::next(It);
    if (Next == Spans.end() || !Next->Verbatim ||
        Next->Src != It->Src + It->SrcLength)
      return std::nullopt;
    It = Next;
  }
}

uint32_t OffsetMap::toRewritten(uint32_t Src, bool RangeEnd) const {
  if (Spans.empty())
    return Src;
  if (Src >= SourceSize)
    return OutSize;
  // The span with the greatest Src <= Src that covers it; a verbatim one
  // maps exactly, an inserted one stands for a replaced token or gap.
  auto End = std::upper_bound(
      BySrc.begin(), BySrc.end(), Src,
      [&](uint32_t S, uint32_t I) { return S < Spans[I].Src; });
  const Span *Inserted = nullptr;
  for (auto It = End; It != BySrc.begin();) {
    const Span &Sp = Spans[*--It];
    if (Src >= Sp.Src + std::max<uint32_t>(Sp.SrcLength, 1)) {
      if (Sp.Verbatim)
        break; // spans are contiguous: nothing earlier covers Src
      continue;
    }
    if (Sp.Verbatim)
      return Sp.Out + (Src - Sp.Src);
    if (!Inserted && Sp.SrcLength)
      Inserted = &Sp;
  }
  if (Inserted)
    return RangeEnd ? Inserted->Out + Inserted->OutLength : Inserted->Out;
  // A removed token: the next text that came from the input.
  if (End != BySrc.end())
    return Spans[*End].Out;
  return OutSize;
}

} // namespace cprime
