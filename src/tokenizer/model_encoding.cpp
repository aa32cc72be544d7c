#include "tokenizer/model_encoding.hpp"

#include <string>

namespace switchyard::tokenizer {

namespace {

struct Family {
  std::string_view prefix;
  bool o200k;
};

// First match wins: the o200k families before the "gpt-4" they start with.
constexpr Family kFamilies[] = {
    {"gpt-4o", true},
    {"gpt-4.1", true},
    {"gpt-4.5", true},
    {"gpt-5", true},
    {"chatgpt-4o", true},
    {"o1", true},
    {"o3", true},
    {"o4", true},
    {"gpt-oss", true},
    {"gpt-4", false},
    {"gpt-3.5", false},
    {"gpt-35", false},
    {"text-embedding-3", false},
    {"text-embedding-ada-002", false},
    {"davinci-002", false},
    {"babbage-002", false},
};

// A family prefix matches the whole name or a name that goes on with a separator, so that "o1"
// is o1, o1-mini and o1-2024-12-17 but not "o1x".
bool startsFamily(std::string_view name, std::string_view prefix) {
  if (!name.starts_with(prefix)) return false;
  if (name.size() == prefix.size()) return true;
  const char next = name[prefix.size()];
  return next == '-' || next == '.' || next == ':' || next == '@' || next == '_';
}

}  // namespace

const Encoding* encodingForModel(std::string_view model) {
  if (const auto slash = model.rfind('/'); slash != std::string_view::npos) {
    model.remove_prefix(slash + 1);
  }
  std::string name(model);
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  std::string_view n = name;
  if (n.starts_with("ft:")) n.remove_prefix(3);
  for (const auto& f : kFamilies) {
    if (startsFamily(n, f.prefix)) return f.o200k ? &o200kBase() : &cl100kBase();
  }
  return nullptr;
}

}  // namespace switchyard::tokenizer
