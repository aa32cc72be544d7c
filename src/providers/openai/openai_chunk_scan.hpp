#pragma once
// A chat.completion.chunk of the common shape, read without building a JSON tree: text deltas,
// refusals and finish reasons, which are nearly every chunk of a stream. A tree costs ten times
// as much (every key allocated and checked for duplicates), once per token. A chunk of any other
// shape (tool calls, reasoning, usage, an error, content parts, a key of interest twice, invalid
// JSON) is left to the tree, which reads everything: the scan either reads a chunk exactly as the
// tree would or says it cannot.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard {

struct ChunkScan {
  struct Choice {
    int32_t index = 0;
    bool hasText = false;  // delta.content was a string (possibly empty)
    std::string text;
    std::string refusal;
    std::string finishReason;
    std::string stopReason;
  };
  std::string id;
  std::string model;
  int64_t created = 0;
  // Reused across chunks, so that a stream's scans allocate only for its first chunks.
  std::vector<Choice> choices;
  size_t choiceCount = 0;

  // Whether `data` is a chunk of the common shape, read into this.
  bool read(std::string_view data);
};

}  // namespace switchyard
