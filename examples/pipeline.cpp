// pipeline: stages connected by channels. Each stage ranges over its input
// and closes its output when the input is exhausted, so closing the source
// shuts the whole pipeline down in order.
#include <cprime/cprime.hpp>

#include <cstdio>
#include <string>

int main() {
  cprime::channel<int> numbers(4), squares(4);
  cprime::channel<std::string> lines(4);
  std::string out;

  parallel {
    spawn [numbers] {                             // stage 1: generate
      defer numbers.close();
      for (int i = 1; i <= 10; ++i) co_await numbers.send(i);
    }
    spawn [numbers, squares] {                    // stage 2: square
      defer squares.close();
      for (int n : numbers) co_await squares.send(n * n);
    }
    spawn [squares, lines] {                      // stage 3: keep the odd ones, format
      defer lines.close();
      for (int s : squares)
        if (s % 2) co_await lines.send(std::to_string(s));
    }
    spawn [&out, lines] {                         // stage 4: sink
      for (std::string l : lines) out += l + " ";
    }
  }
  std::printf("odd squares: %s\n", out.c_str());
}
