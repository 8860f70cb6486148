// Not a CPrime file: the names are ordinary C++ and clangd sees this text.
int spawn(int x) { return x + 1; }
int main() { int parallel = spawn(2); return parallel + "x"; }
