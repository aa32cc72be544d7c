#pragma once
// Puts the original values back where the answer repeats a placeholder ([EMAIL_1]) the request
// was masked with. For a stream, text arrives in pieces and a placeholder may be split across
// them: the restorer holds back only a tail that could still become one (at most the longest
// placeholder's length minus one) and releases everything before it at once.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchyard::guardrails {

using Placeholders = std::vector<std::pair<std::string, std::string>>;  // placeholder, original

class PlaceholderRestorer {
 public:
  explicit PlaceholderRestorer(const Placeholders& placeholders);

  // Appends to `out` what can be sent now.
  void feed(std::string_view piece, std::string& out);
  // The end of the text: appends what was held back.
  void flush(std::string& out);
  size_t held() const { return pending_.size(); }

  // Whole texts: `text` with every placeholder restored.
  static std::string restoreAll(const Placeholders& placeholders, std::string_view text);

 private:
  const Placeholders& placeholders_;
  std::string pending_;
};

}  // namespace switchyard::guardrails
