#pragma once
// Walks a header's list ("br;q=1, gzip" or "a=1; b=2") one item at a time, without copying.

#include <string_view>

namespace switchyard {

// The next item of `list` up to `separator`, without surrounding spaces; `list` keeps the rest.
inline std::string_view nextListItem(std::string_view& list, char separator) {
  const auto at = list.find(separator);
  std::string_view item = list.substr(0, at);
  list = at == std::string_view::npos ? std::string_view() : list.substr(at + 1);
  while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
  while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
  return item;
}

}  // namespace switchyard
