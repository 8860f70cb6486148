// A user header that does not opt in: never rewritten.
#pragma once
inline int plain_helper(int spawn) { return spawn - 4; }
