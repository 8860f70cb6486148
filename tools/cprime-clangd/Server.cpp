//===- Server.cpp - the LSP front between an editor and clangd ------------===//
//
// Two threads: one reads the editor and writes clangd, the other reads
// clangd and writes the editor. Document state is shared under one mutex.
//
// Editor to clangd: didOpen/didChange of an enabled file carry the rewritten
// text (always whole: the editor's incremental edits are applied here);
// every position in a request is mapped to the rewritten text. clangd to
// editor: every Range and Position in a response, notification or request is
// mapped back, for whichever file its `uri` names. Files that do not opt in
// are forwarded untouched. Semantic tokens are re-encoded after mapping
// (tokens of inserted text dropped); their delta form is not offered, since
// deltas against rewritten text cannot be mapped.
//
//===----------------------------------------------------------------------===//

#include "Server.h"

#include "Document.h"
#include "Workspace.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <cerrno>
#include <map>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cprime::clangd {

namespace json = llvm::json;

namespace {

// Reads Content-Length framed messages from a file descriptor.
class Reader {
public:
  explicit Reader(int FD) : FD(FD) {}

  /// The next message body, or false at end of input.
  bool next(std::string &Body) {
    size_t Length = std::string::npos;
    for (;;) {
      std::string Line;
      if (!readLine(Line))
        return false;
      if (Line.empty()) {
        if (Length == std::string::npos)
          continue; // stray blank line between messages
        break;
      }
      llvm::StringRef L(Line);
      if (L.consume_front_insensitive("Content-Length:")) {
        unsigned long long N;
        if (!L.trim().getAsInteger(10, N))
          Length = N;
      }
    }
    Body.clear();
    while (Body.size() < Length) {
      if (Pos == Buf.size() && !fill())
        return false;
      size_t Take = std::min(Length - Body.size(), Buf.size() - Pos);
      Body.append(Buf, Pos, Take);
      Pos += Take;
    }
    return true;
  }

private:
  bool fill() {
    char Tmp[65536];
    ssize_t N;
    do
      N = ::read(FD, Tmp, sizeof Tmp);
    while (N < 0 && errno == EINTR);
    if (N <= 0)
      return false;
    Buf.erase(0, Pos);
    Pos = 0;
    Buf.append(Tmp, N);
    return true;
  }
  bool readLine(std::string &Line) {
    for (;;) {
      size_t NL = Buf.find('\n', Pos);
      if (NL != std::string::npos) {
        Line.assign(Buf, Pos, NL - Pos);
        if (!Line.empty() && Line.back() == '\r')
          Line.pop_back();
        Pos = NL + 1;
        return true;
      }
      if (!fill())
        return false;
    }
  }

  int FD;
  std::string Buf;
  size_t Pos = 0;
};

void writeAll(int FD, llvm::StringRef Data) {
  while (!Data.empty()) {
    ssize_t N = ::write(FD, Data.data(), Data.size());
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return;
    Data = Data.drop_front(N);
  }
}

std::string frame(llvm::StringRef Body) {
  return "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n" +
         Body.str();
}

std::string str(const json::Value &V) {
  std::string S;
  llvm::raw_string_ostream(S) << V;
  return S;
}

class Server {
public:
  Server(std::string Clangd, std::vector<std::string> Args)
      : ClangdPath(std::move(Clangd)), Args(std::move(Args)) {}
  int run();

private:
  // Editor side.
  void fromEditor(std::string Body);
  // Each returns what to send clangd; Mu held.
  std::string didOpen(json::Object &Msg, const std::string &Raw);
  std::string didChange(json::Object &Msg, const std::string &Raw);
  std::string request(json::Object &Msg, llvm::StringRef Method,
                      const std::string &Raw);
  // clangd side.
  void clangdLoop();
  void fromClangd(std::string Body);
  void publishDiagnostics(json::Object &Params);
  void patchInitialize(json::Object &Result);
  void mapSemanticTokens(json::Object &Result, llvm::StringRef Uri);
  void mapInlayHints(json::Value &Result, llvm::StringRef Uri);

  bool start(const json::Object *InitParams);
  void toClangd(llvm::StringRef Body) {
    std::lock_guard<std::mutex> L(ClangdMu);
    writeAll(ClangdIn, frame(Body));
  }
  void toEditor(llvm::StringRef Body) {
    std::lock_guard<std::mutex> L(EditorMu);
    writeAll(STDOUT_FILENO, frame(Body));
  }

  // Mapping; Mu held.
  const Document *document(llvm::StringRef Uri) const;
  void walk(json::Value &V, llvm::StringRef Uri, bool ToClangd);
  void mapPosition(json::Object &P, const Document &D, bool ToClangd,
                   bool End);
  json::Array cprimeDiagnostics(const Document &D) const;

  std::string ClangdPath;
  std::vector<std::string> Args;
  Workspace WS;
  int ClangdIn = -1, ClangdOut = -1;
  std::atomic<pid_t> Child{-1};
  std::thread ClangdThread;
  std::mutex ClangdMu, EditorMu, Mu;
  // Under Mu.
  Encoding Enc = Encoding::UTF16;
  llvm::StringMap<std::unique_ptr<Document>> Docs;
  struct Request {
    std::string Method, Uri;
  };
  std::map<std::string, Request> Requests;
  // clangd's last diagnostics per enabled file, mapped and filtered.
  llvm::StringMap<json::Array> LastClangd;
  // Messages for the editor made while handling one of its messages.
  std::vector<std::string> PendingToEditor;
  // The editor sent `exit` or closed its end: clangd's end is expected next.
  std::atomic<bool> Exit{false};
};

// Finds the project root from initialize's params.
std::string rootOf(const json::Object *Params) {
  if (!Params)
    return "";
  if (auto U = Params->getString("rootUri"))
    if (auto P = uriToPath(*U))
      return *P;
  if (auto *Folders = Params->getArray("workspaceFolders"))
    for (const json::Value &F : *Folders)
      if (auto *O = F.getAsObject())
        if (auto U = O->getString("uri"))
          if (auto P = uriToPath(*U))
            return *P;
  if (auto R = Params->getString("rootPath"))
    return R->str();
  return "";
}

bool Server::start(const json::Object *InitParams) {
  // The project's compile database: the editor's setting, clangd's flag, or
  // where clangd would look from the root.
  std::string Root = rootOf(InitParams);
  std::string CdbDir;
  std::vector<std::string> Pass;
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef A = Args[I];
    if (A.consume_front("--compile-commands-dir=") ||
        A.consume_front("-compile-commands-dir=")) {
      CdbDir = A.str();
      continue;
    }
    if ((A == "--compile-commands-dir" || A == "-compile-commands-dir") &&
        I + 1 < Args.size()) {
      CdbDir = Args[++I];
      continue;
    }
    Pass.push_back(Args[I]);
  }
  if (InitParams)
    if (auto *Opts = InitParams->getObject("initializationOptions"))
      if (auto P = Opts->getString("compilationDatabasePath"))
        CdbDir = P->str();
  if (CdbDir.empty() && !Root.empty())
    CdbDir = findDatabaseDir(Root).value_or("");
  if (WS.init(Root, CdbDir))
    Pass.push_back("--compile-commands-dir=" + WS.dir());
  else if (!CdbDir.empty())
    Pass.push_back("--compile-commands-dir=" + CdbDir);

  // Everything the child needs is prepared before fork(): between fork and
  // exec only async-signal-safe calls are allowed (other threads exist).
  std::vector<char *> Argv;
  Argv.push_back(const_cast<char *>(ClangdPath.c_str()));
  for (std::string &A : Pass)
    Argv.push_back(A.data());
  Argv.push_back(nullptr);
  std::string CannotRun = "cprime-clangd: cannot run " + ClangdPath + ": ";
  int In[2], Out[2];
  if (pipe(In) || pipe(Out))
    return false;
  pid_t Pid = fork();
  if (Pid < 0)
    return false;
  if (Pid == 0) {
    sigset_t None;
    sigemptyset(&None);
    pthread_sigmask(SIG_SETMASK, &None, nullptr);
    signal(SIGPIPE, SIG_DFL);
    dup2(In[0], STDIN_FILENO);
    dup2(Out[1], STDOUT_FILENO);
    close(In[0]);
    close(In[1]);
    close(Out[0]);
    close(Out[1]);
    execvp(Argv[0], Argv.data());
    const char *Why = strerror(errno);
    writeAll(STDERR_FILENO, CannotRun);
    writeAll(STDERR_FILENO, Why);
    writeAll(STDERR_FILENO, "\n");
    _exit(127);
  }
  Child = Pid;
  close(In[0]);
  close(Out[1]);
  fcntl(In[1], F_SETFD, FD_CLOEXEC);
  fcntl(Out[0], F_SETFD, FD_CLOEXEC);
  ClangdIn = In[1];
  ClangdOut = Out[0];
  ClangdThread = std::thread([this] { clangdLoop(); });
  return true;
}

int Server::run() {
  signal(SIGPIPE, SIG_IGN);
  // An editor that gives up on a clean shutdown sends SIGTERM (or the
  // terminal SIGHUP/SIGINT): stop clangd and remove the private directory.
  // The signals are blocked in every thread and taken by one that sigwait()s.
  sigset_t Stop;
  sigemptyset(&Stop);
  sigaddset(&Stop, SIGTERM);
  sigaddset(&Stop, SIGHUP);
  sigaddset(&Stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &Stop, nullptr);
  std::thread([this, Stop] {
    int Sig = 0;
    sigwait(&Stop, &Sig);
    if (Child > 0)
      kill(Child, SIGTERM);
    WS.removeFiles();
    _exit(128 + Sig);
  }).detach();
  Reader R(STDIN_FILENO);
  std::string Body;
  while (!Exit && R.next(Body)) {
    fromEditor(std::move(Body));
    if (Child < 0) {
      llvm::errs() << "cprime-clangd: could not start " << ClangdPath << "\n";
      return 1;
    }
  }
  // After `exit`, or when the editor is gone: clangd sees end of input and
  // finishes; its status is ours.
  Exit = true;
  if (ClangdIn >= 0)
    close(ClangdIn);
  int Status = 0;
  if (Child > 0)
    waitpid(Child, &Status, 0);
  if (ClangdThread.joinable())
    ClangdThread.join();
  return WIFEXITED(Status) ? WEXITSTATUS(Status) : 1;
}

const Document *Server::document(llvm::StringRef Uri) const {
  auto It = Docs.find(Uri);
  if (It != Docs.end())
    return It->second.get();
  if (auto P = uriToPath(Uri))
    return WS.header(*P);
  return nullptr;
}

void Server::mapPosition(json::Object &P, const Document &D, bool ToClangd,
                         bool End) {
  auto Line = P.getInteger("line"), Char = P.getInteger("character");
  if (!Line || !Char)
    return;
  Position In{static_cast<int>(*Line), static_cast<int>(*Char)};
  Position Out = ToClangd ? D.toClangd(In, Enc, End) : D.toEditor(In, Enc, End);
  P["line"] = Out.Line;
  P["character"] = Out.Character;
}

static bool isPosition(const json::Object &O) {
  return O.size() == 2 && O.getInteger("line") && O.getInteger("character");
}

// Maps every Position and Range under V. Uri is the file they belong to
// until an object names another (uri, targetUri, clangd's "file", a
// textDocument, or a WorkspaceEdit's "changes" keys).
void Server::walk(json::Value &V, llvm::StringRef Uri, bool ToClangd) {
  if (json::Array *A = V.getAsArray()) {
    for (json::Value &E : *A)
      walk(E, Uri, ToClangd);
    return;
  }
  json::Object *O = V.getAsObject();
  if (!O)
    return;
  std::string Own = Uri.str();
  for (const char *K : {"uri", "targetUri", "file"})
    if (auto U = O->getString(K); U && U->starts_with("file://"))
      Own = U->str();
  if (auto *TD = O->getObject("textDocument"))
    if (auto U = TD->getString("uri"))
      Own = U->str();
  const Document *D = document(Own);
  if (isPosition(*O)) {
    if (D)
      mapPosition(*O, *D, ToClangd, false);
    return;
  }
  auto *Start = O->getObject("start");
  auto *End = O->getObject("end");
  if (Start && End && isPosition(*Start) && isPosition(*End)) {
    if (D) {
      mapPosition(*Start, *D, ToClangd, false);
      mapPosition(*End, *D, ToClangd, true);
    }
    return;
  }
  for (auto &KV : *O) {
    llvm::StringRef Key = KV.first;
    if (Key == "changes" && KV.second.getAsObject()) {
      for (auto &C : *KV.second.getAsObject())
        walk(C.second, llvm::StringRef(C.first), ToClangd);
      continue;
    }
    // A LocationLink's origin is in the request's file, not the target's.
    walk(KV.second, Key == "originSelectionRange" ? Uri : Own, ToClangd);
  }
}

json::Array Server::cprimeDiagnostics(const Document &D) const {
  json::Array Out;
  llvm::StringRef T = D.text();
  for (const Diagnostic &E : D.errors()) {
    uint32_t B = std::min<uint32_t>(E.Offset, T.size()), X = B;
    while (X < T.size() && (llvm::isAlnum(T[X]) || T[X] == '_'))
      ++X;
    if (X == B && X < T.size() && T[X] != '\n')
      ++X;
    Position S = D.editorPosition(B, Enc), F = D.editorPosition(X, Enc);
    Out.push_back(json::Object{
        {"range",
         json::Object{
             {"start", json::Object{{"line", S.Line}, {"character", S.Character}}},
             {"end", json::Object{{"line", F.Line}, {"character", F.Character}}}}},
        {"severity", 1},
        {"source", "cprime"},
        {"message", diagMessage(E.ID).str()}});
  }
  return Out;
}

std::string Server::didOpen(json::Object &Msg, const std::string &Raw) {
  json::Object *TD = nullptr;
  if (auto *P = Msg.getObject("params"))
    TD = P->getObject("textDocument");
  auto Uri = TD ? TD->getString("uri") : std::nullopt;
  auto Text = TD ? TD->getString("text") : std::nullopt;
  if (!Uri || !Text)
    return Raw;
  auto Doc = std::make_unique<Document>();
  Doc->setText(Text->str());
  if (auto P = uriToPath(*Uri); P && WS.header(*P))
    WS.updateHeader(*P, *Text);
  bool Enabled = Doc->enabled();
  if (Enabled)
    (*TD)["text"] = Doc->clangdText();
  Docs[*Uri] = std::move(Doc);
  // A file that does not opt in goes to clangd as the editor sent it.
  return Enabled ? str(json::Value(std::move(Msg))) : Raw;
}

std::string Server::didChange(json::Object &Msg, const std::string &Raw) {
  json::Object *Params = Msg.getObject("params");
  json::Object *TD = Params ? Params->getObject("textDocument") : nullptr;
  auto Uri = TD ? TD->getString("uri") : std::nullopt;
  json::Array *Changes = Params ? Params->getArray("contentChanges") : nullptr;
  auto It = Uri ? Docs.find(*Uri) : Docs.end();
  if (It == Docs.end() || !Changes)
    return Raw;
  Document &D = *It->second;
  bool WasEnabled = D.enabled();
  std::string Before = D.clangdText();
  std::string Text = D.text();
  for (json::Value &C : *Changes) {
    json::Object *CO = C.getAsObject();
    auto New = CO ? CO->getString("text") : std::nullopt;
    if (!New)
      continue;
    json::Object *R = CO->getObject("range");
    if (!R) {
      Text = New->str();
      continue;
    }
    auto Pos = [](json::Object *P) {
      return Position{static_cast<int>(P ? P->getInteger("line").value_or(0) : 0),
                      static_cast<int>(P ? P->getInteger("character").value_or(0) : 0)};
    };
    applyChange(Text, Pos(R->getObject("start")), Pos(R->getObject("end")),
                *New, Enc);
  }
  D.setText(std::move(Text));
  if (auto P = uriToPath(*Uri); P && WS.header(*P))
    WS.updateHeader(*P, D.text());
  if (!WasEnabled && !D.enabled())
    return Raw;
  // clangd need not publish again for text it already has (an edit inside
  // a blanked line): the CPrime errors may have changed all the same.
  if (D.clangdText() == Before) {
    auto Last = LastClangd.find(*Uri);
    json::Array Diags = Last == LastClangd.end() ? json::Array() : Last->second;
    for (json::Value &V : cprimeDiagnostics(D))
      Diags.push_back(std::move(V));
    json::Object Note{
        {"jsonrpc", "2.0"},
        {"method", "textDocument/publishDiagnostics"},
        {"params", json::Object{{"uri", *Uri},
                                {"diagnostics", std::move(Diags)}}}};
    if (auto V = TD->getInteger("version"))
      (*Note.getObject("params"))["version"] = *V;
    PendingToEditor.push_back(str(json::Value(std::move(Note))));
  }
  json::Array Whole;
  Whole.push_back(json::Object{{"text", D.clangdText()}});
  (*Params)["contentChanges"] = std::move(Whole);
  return str(json::Value(std::move(Msg)));
}

std::string Server::request(json::Object &Msg, llvm::StringRef Method,
                            const std::string &Raw) {
  if (Method == "textDocument/didOpen")
    return didOpen(Msg, Raw);
  if (Method == "textDocument/didChange")
    return didChange(Msg, Raw);
  if (Method == "textDocument/didClose") {
    if (auto *P = Msg.getObject("params"))
      if (auto *TD = P->getObject("textDocument"))
        if (auto U = TD->getString("uri")) {
          Docs.erase(*U);
          LastClangd.erase(*U);
        }
    return Raw;
  }
  std::string Uri;
  if (auto *P = Msg.getObject("params"))
    if (auto *TD = P->getObject("textDocument"))
      Uri = TD->getString("uri").value_or("").str();
  if (const json::Value *Id = Msg.get("id"))
    Requests[str(*Id)] = {Method.str(), Uri};
  if (json::Value *P = Msg.get("params"))
    walk(*P, Uri, /*ToClangd=*/true);
  return str(json::Value(std::move(Msg)));
}

void Server::fromEditor(std::string Body) {
  llvm::Expected<json::Value> V = json::parse(Body);
  if (!V || !V->getAsObject()) {
    llvm::consumeError(V.takeError());
    if (Child > 0)
      toClangd(Body);
    return;
  }
  json::Object &Msg = *V->getAsObject();
  auto Method = Msg.getString("method");
  if (Method && *Method == "initialize" && Child < 0) {
    if (!start(Msg.getObject("params")))
      return;
    // The private database replaces the editor's setting.
    if (auto *P = Msg.getObject("params"))
      if (auto *Opts = P->getObject("initializationOptions"))
        if (Opts->getString("compilationDatabasePath") && !WS.dir().empty())
          (*Opts)["compilationDatabasePath"] = WS.dir();
  }
  if (Child < 0) {
    // Nothing before initialize is valid LSP; start clangd anyway so it
    // answers with its own error.
    if (!start(nullptr))
      return;
  }
  if (!Method) {
    toClangd(Body); // a response to one of clangd's requests
    return;
  }
  if (*Method == "exit")
    Exit = true;
  // Built under the lock, written without it: clangd may be blocked writing
  // to us while we write to it, and the other thread must be free to read.
  std::string Out;
  std::vector<std::string> Notes;
  {
    std::lock_guard<std::mutex> L(Mu);
    Out = request(Msg, *Method, Body);
    Notes.swap(PendingToEditor);
  }
  toClangd(Out);
  for (const std::string &N : Notes)
    toEditor(N);
}

void Server::clangdLoop() {
  Reader R(ClangdOut);
  std::string Body;
  while (R.next(Body))
    fromClangd(std::move(Body));
  if (Exit)
    return;
  // clangd is gone on its own (crashed, or could not start): end too, so
  // that the editor sees the server stop and can restart it, rather than
  // waiting forever for answers.
  int Status = 0;
  waitpid(Child, &Status, 0);
  llvm::errs() << "cprime-clangd: " << ClangdPath << " exited unexpectedly\n";
  WS.removeFiles();
  _exit(WIFEXITED(Status) && WEXITSTATUS(Status) ? WEXITSTATUS(Status) : 1);
}

void Server::patchInitialize(json::Object &Result) {
  json::Object *Caps = Result.getObject("capabilities");
  if (!Caps)
    return;
  std::optional<llvm::StringRef> E = Caps->getString("positionEncoding");
  if (!E)
    E = Result.getString("offsetEncoding");
  if (E)
    Enc = *E == "utf-8" ? Encoding::UTF8
          : *E == "utf-32" ? Encoding::UTF32 : Encoding::UTF16;
  if (auto *ST = Caps->getObject("semanticTokensProvider"))
    if (ST->get("full"))
      (*ST)["full"] = true;
}

void Server::mapSemanticTokens(json::Object &Result, llvm::StringRef Uri) {
  const Document *D = document(Uri);
  json::Array *Data = Result.getArray("data");
  if (!D || !Data)
    return;
  struct Tok {
    int Line, Char, Len;
    int64_t Type, Mods;
  };
  std::vector<Tok> Toks;
  int Line = 0, Char = 0;
  for (size_t I = 0; I + 4 < Data->size(); I += 5) {
    auto Get = [&](size_t K) { return (*Data)[I + K].getAsInteger().value_or(0); };
    int DL = Get(0), DC = Get(1);
    Char = DL ? DC : Char + DC;
    Line += DL;
    int Len = Get(2);
    Position S{Line, Char}, X{Line, Char + Len};
    if (D->inserted(S, Enc))
      continue;
    Position ES = D->toEditor(S, Enc), EX = D->toEditor(X, Enc, true);
    if (ES.Line != EX.Line || EX.Character <= ES.Character)
      continue;
    Toks.push_back({ES.Line, ES.Character, EX.Character - ES.Character, Get(3), Get(4)});
  }
  std::sort(Toks.begin(), Toks.end(), [](const Tok &A, const Tok &B) {
    return A.Line != B.Line ? A.Line < B.Line : A.Char < B.Char;
  });
  json::Array Out;
  int PL = 0, PC = 0;
  for (const Tok &T : Toks) {
    Out.push_back(T.Line - PL);
    Out.push_back(T.Line == PL ? T.Char - PC : T.Char);
    Out.push_back(T.Len);
    Out.push_back(T.Type);
    Out.push_back(T.Mods);
    PL = T.Line;
    PC = T.Char;
  }
  Result["data"] = std::move(Out);
}

// Hints about inserted text (parameter names of ::cprime::spawn_detached,
// deduced types of the lowering's variables) are not the user's: dropped.
void Server::mapInlayHints(json::Value &Result, llvm::StringRef Uri) {
  const Document *D = document(Uri);
  json::Array *Hints = Result.getAsArray();
  if (!D || !Hints)
    return walk(Result, Uri, false);
  json::Array Kept;
  for (json::Value &H : *Hints) {
    json::Object *O = H.getAsObject();
    json::Object *P = O ? O->getObject("position") : nullptr;
    if (!P)
      continue;
    Position At{static_cast<int>(P->getInteger("line").value_or(0)),
                static_cast<int>(P->getInteger("character").value_or(0))};
    // A hint sits between tokens: judge by the character before it, too.
    Position Before{At.Line, std::max(0, At.Character - 1)};
    if (D->inserted(At, Enc) || D->inserted(Before, Enc))
      continue;
    walk(H, Uri, false);
    Kept.push_back(std::move(H));
  }
  Result = std::move(Kept);
}

void Server::publishDiagnostics(json::Object &Params) {
  auto Uri = Params.getString("uri");
  json::Array *Diags = Params.getArray("diagnostics");
  const Document *D = Uri ? document(*Uri) : nullptr;
  if (!D || !Diags || !D->enabled())
    return walk(*Params.get("diagnostics"), Uri.value_or(""), false);
  json::Array Kept;
  if (!D->suppressClangd()) {
    for (json::Value &V : *Diags) {
      json::Object *O = V.getAsObject();
      json::Object *R = O ? O->getObject("range") : nullptr;
      json::Object *S = R ? R->getObject("start") : nullptr;
      if (S && D->blanked(S->getInteger("line").value_or(-1)))
        continue;
      walk(V, *Uri, false);
      Kept.push_back(std::move(V));
    }
  }
  LastClangd[*Uri] = Kept;
  for (json::Value &V : cprimeDiagnostics(*D))
    Kept.push_back(std::move(V));
  Params["diagnostics"] = std::move(Kept);
}

void Server::fromClangd(std::string Body) {
  llvm::Expected<json::Value> V = json::parse(Body);
  if (!V || !V->getAsObject()) {
    llvm::consumeError(V.takeError());
    return toEditor(Body);
  }
  json::Object &Msg = *V->getAsObject();
  auto Method = Msg.getString("method");
  {
    std::lock_guard<std::mutex> L(Mu);
    if (!Method) {
      // A response: map it for the file its request was about.
      const json::Value *Id = Msg.get("id");
      auto It = Id ? Requests.find(str(*Id)) : Requests.end();
      if (It != Requests.end()) {
        Request Req = std::move(It->second);
        Requests.erase(It);
        if (json::Value *Res = Msg.get("result")) {
          json::Object *RO = Res->getAsObject();
          if (Req.Method == "initialize" && RO)
            patchInitialize(*RO);
          else if (RO && (Req.Method == "textDocument/semanticTokens/full" ||
                          Req.Method == "textDocument/semanticTokens/range"))
            mapSemanticTokens(*RO, Req.Uri);
          else if (Req.Method == "textDocument/inlayHint")
            mapInlayHints(*Res, Req.Uri);
          else
            walk(*Res, Req.Uri, false);
        }
      }
    } else if (*Method == "textDocument/publishDiagnostics") {
      if (auto *P = Msg.getObject("params"))
        publishDiagnostics(*P);
    } else if (json::Value *P = Msg.get("params")) {
      walk(*P, "", false);
    }
  }
  toEditor(str(json::Value(std::move(Msg))));
}

} // namespace

int runServer(const std::string &Clangd, std::vector<std::string> Args) {
  Server S(Clangd, std::move(Args));
  return S.run();
}

} // namespace cprime::clangd
