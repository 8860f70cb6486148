#include <cstring>

int big(int i) {
  char buf[100000];
  std::memset(buf, i, sizeof buf);
  return buf[i];
}
