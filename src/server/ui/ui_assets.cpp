#include "server/ui/ui_assets.hpp"

#include <boost/json.hpp>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/log.hpp"
#include "server/ui/header_list.hpp"

extern "C" {
extern const char switchyard_ui_bundle[];
extern const char switchyard_ui_bundle_end[];
}

namespace switchyard {

namespace json = boost::json;

namespace {

constexpr std::string_view kMagic = "SYUI1\n";

// The bundle's manifest, parsed once. The strings the table views live in `manifest` (paths,
// types) and in the bundle itself (bytes), both for the life of the process.
struct Bundle {
  json::value manifest;
  std::vector<UiAsset> assets;
};

std::string_view slice(std::string_view data, const json::value* range) {
  if (range == nullptr || !range->is_array() || range->as_array().size() != 2) return {};
  const auto& r = range->as_array();
  const auto* off = r[0].if_int64();
  const auto* len = r[1].if_int64();
  if (!off || !len || *off < 0 || *len < 0 || uint64_t(*off) + uint64_t(*len) > data.size()) {
    return {};
  }
  return data.substr(size_t(*off), size_t(*len));
}

std::string_view text(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

Bundle load() {
  Bundle b;
  const std::string_view all(switchyard_ui_bundle,
                             size_t(switchyard_ui_bundle_end - switchyard_ui_bundle));
  if (!all.starts_with(kMagic) || all.size() < kMagic.size() + 4) {
    logError("the embedded admin UI bundle is malformed; /ui serves nothing");
    return b;
  }
  uint32_t length = 0;
  for (int i = 3; i >= 0; --i) length = length << 8 | uint8_t(all[kMagic.size() + size_t(i)]);
  const size_t start = kMagic.size() + 4;
  if (length > all.size() - start) {
    logError("the embedded admin UI bundle is truncated; /ui serves nothing");
    return b;
  }
  boost::system::error_code ec;
  b.manifest = json::parse(all.substr(start, length), ec);
  if (ec || !b.manifest.is_array()) {
    logError("the embedded admin UI manifest is not JSON; /ui serves nothing");
    b.manifest = json::array();
    return b;
  }
  const std::string_view data = all.substr(start + length);
  for (const auto& e : b.manifest.as_array()) {
    if (!e.is_object()) continue;
    const auto& o = e.as_object();
    b.assets.push_back({text(o, "path"), text(o, "type"), text(o, "etag"),
                        slice(data, o.if_contains("identity")), slice(data, o.if_contains("gzip")),
                        slice(data, o.if_contains("br"))});
  }
  return b;
}

const Bundle& bundle() {
  static const Bundle b = load();
  return b;
}

// Whether an Accept-Encoding list takes `coding` (a q=0 entry refuses it).
bool accepts(std::string_view header, std::string_view coding) {
  while (!header.empty()) {
    std::string_view params = nextListItem(header, ',');
    if (nextListItem(params, ';') != coding) continue;
    const std::string_view weight = nextListItem(params, ';');
    // "q=0", "q=0.0", "q=0.000": refused; any other weight (or none) takes it.
    return !(weight.starts_with("q=0") &&
             weight.find_first_not_of("0.", 2) == std::string_view::npos);
  }
  return false;
}

}  // namespace

const UiAsset* findUiAsset(std::string_view path) {
  for (const auto& a : bundle().assets) {
    if (a.path == path) return &a;
  }
  return nullptr;
}

std::span<const UiAsset> uiAssets() { return bundle().assets; }

UiEncoded pickEncoding(const UiAsset& asset, std::string_view acceptEncoding) {
  if (!asset.brotli.empty() && accepts(acceptEncoding, "br")) return {asset.brotli, "br"};
  if (!asset.gzip.empty() && accepts(acceptEncoding, "gzip")) return {asset.gzip, "gzip"};
  return {asset.identity, ""};
}

}  // namespace switchyard
