#include "stages/guardrails/placeholder_restorer.hpp"

namespace switchyard::guardrails {

PlaceholderRestorer::PlaceholderRestorer(const Placeholders& placeholders)
    : placeholders_(placeholders) {}

void PlaceholderRestorer::feed(std::string_view piece, std::string& out) {
  std::string_view text = piece;
  if (!pending_.empty()) {
    pending_.append(piece);
    text = pending_;
  }
  size_t at = 0;
  size_t keepFrom = text.size();
  while (at < text.size()) {
    const size_t open = text.find('[', at);
    if (open == std::string_view::npos) {
      out.append(text.substr(at));
      at = text.size();
      break;
    }
    out.append(text.substr(at, open - at));
    const std::string_view rest = text.substr(open);
    bool restored = false;
    bool couldBecome = false;
    for (const auto& [placeholder, original] : placeholders_) {
      if (rest.substr(0, placeholder.size()) == placeholder) {
        out.append(original);
        at = open + placeholder.size();
        restored = true;
        break;
      }
      if (rest.size() < placeholder.size() &&
          std::string_view(placeholder).substr(0, rest.size()) == rest) {
        couldBecome = true;
      }
    }
    if (restored) continue;
    if (couldBecome) {
      keepFrom = open;
      break;
    }
    out.push_back('[');
    at = open + 1;
  }
  if (keepFrom < text.size()) {
    std::string tail(text.substr(keepFrom));
    pending_ = std::move(tail);
  } else {
    pending_.clear();
  }
}

void PlaceholderRestorer::flush(std::string& out) {
  out.append(pending_);
  pending_.clear();
}

std::string PlaceholderRestorer::restoreAll(const Placeholders& placeholders,
                                            std::string_view text) {
  PlaceholderRestorer r(placeholders);
  std::string out;
  r.feed(text, out);
  r.flush(out);
  return out;
}

}  // namespace switchyard::guardrails
