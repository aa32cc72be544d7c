#pragma once
// The admin UI's files, embedded at build time (ui/scripts/build.mjs, ui_bundle.S.in), each in
// the forms the build precompressed it to.

#include <span>
#include <string_view>

namespace switchyard {

struct UiAsset {
  std::string_view path;  // relative to /ui/: "index.html", "assets/index-3f2a.js"
  std::string_view contentType;
  std::string_view etag;  // a quoted strong validator of the identity bytes
  std::string_view identity;
  std::string_view gzip;    // empty: not worth compressing
  std::string_view brotli;  // empty: not worth compressing
};

// The file at `path`, null when the bundle has none.
const UiAsset* findUiAsset(std::string_view path);
// Every embedded file (tests, the size budget).
std::span<const UiAsset> uiAssets();

// The form to send for an Accept-Encoding header, and its Content-Encoding ("" for identity):
// brotli, then gzip, when the client takes them and the build made them.
struct UiEncoded {
  std::string_view bytes;
  std::string_view contentEncoding;
};
UiEncoded pickEncoding(const UiAsset& asset, std::string_view acceptEncoding);

}  // namespace switchyard
