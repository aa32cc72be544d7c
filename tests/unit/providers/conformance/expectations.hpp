#pragma once
// Hand-checked expectations for the key fixtures, and the translator bugs the suite found.

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "providers/conformance/catalog.hpp"

namespace switchyard::conformance {

struct Expectation {
  std::string path;                 // folder/file, for every adapter that decodes the folder
  std::string finish;               // "" when not checked
  std::vector<std::string> tools;   // the tool calls' names, in order
  std::string textPrefix;           // the answer text starts with this
  std::string refusalPrefix;        // the refusal starts with this
  std::optional<ErrorClass> error;  // the fixture decodes to this Error instead of an answer
};

// nullptr when the fixture has no hand-checked expectation.
const Expectation* expectationFor(const Fixture& f);

// What a translator gets wrong on this fixture; nullptr when nothing is known.
const char* knownBug(const Fixture& f);

}  // namespace switchyard::conformance
