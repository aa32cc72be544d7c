#include "providers/common/content.hpp"

#include "providers/common/json_fields.hpp"

namespace switchyard::common {

std::string contentText(const boost::json::value& content) {
  if (content.is_string()) return std::string(content.get_string());
  std::string out;
  if (const auto* parts = content.if_array()) {
    for (const auto& part : *parts) {
      if (const auto* p = part.if_object()) out += stringField(*p, "text");
    }
  }
  return out;
}

std::string_view imageUrl(const boost::json::object& part) {
  if (const auto* image = objectField(part, "image_url")) return stringField(*image, "url");
  return stringField(part, "image_url");
}

std::optional<DataUrl> parseBase64DataUrl(std::string_view url) {
  constexpr std::string_view kScheme = "data:";
  constexpr std::string_view kBase64 = ";base64";
  if (!url.starts_with(kScheme)) return std::nullopt;
  const size_t comma = url.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  std::string_view meta = url.substr(kScheme.size(), comma - kScheme.size());
  if (!meta.ends_with(kBase64)) return std::nullopt;
  meta.remove_suffix(kBase64.size());
  return DataUrl{meta, url.substr(comma + 1)};
}

}  // namespace switchyard::common
