#pragma once
// A content_block_delta event read without building a JSON tree: nearly every event of a
// stream is one (a token of text, thinking or tool arguments), and a tree costs several times as
// much, once per token. Any other event, or a delta of a shape the scan does not read (a member
// it reads holding an object, or twice, invalid JSON), is left to the tree: the scan either
// reads an event exactly as the tree would or says it cannot.

#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard::anthropic {

struct DeltaScan {
  std::string type;       // the event's "type" (empty: not a string, or absent)
  int64_t index = -1;     // -1: not a non-negative integer, or absent
  bool hasDelta = false;  // "delta" is an object
  // The delta's members (empty: not a string, or absent).
  std::string deltaType;
  std::string text;
  std::string partialJson;
  std::string thinking;
  std::string signature;

  // Whether `data` is a content_block_delta (by its "type", or by `event` when it has none),
  // read into this.
  bool read(std::string_view event, std::string_view data);
};

}  // namespace switchyard::anthropic
