// abseil headers compile unchanged with the plugin loaded, in an enabled file.
// RUN: %clangxx_cprime -fsyntax-only %s
#include <absl/algorithm/container.h>
#include <absl/base/thread_annotations.h>
#include <absl/cleanup/cleanup.h>
#include <absl/container/btree_map.h>
#include <absl/container/flat_hash_map.h>
#include <absl/container/inlined_vector.h>
#include <absl/functional/any_invocable.h>
#include <absl/status/statusor.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_split.h>
#include <absl/synchronization/mutex.h>
#include <absl/time/time.h>
#include <absl/types/span.h>
#include <cprime/cprime.hpp>

int main() {
  absl::flat_hash_map<int, int> m{{1, 2}};
  auto c = absl::MakeCleanup([] {});
  defer m.clear();
  return static_cast<int>(absl::StrCat("a", 1).size()) - 2;
}
