// One CPrime syntax error and one C++ type error, on lines of their own, and
// a type error inside a spawn body on the `spawn {` line.
#include <cprime/cprime.hpp>

int main() {
  cprime::channel<int> ch(1);
  spawn;
  int number = "not a number";
  spawn { ch.close(); int inside = "text"; }
}
