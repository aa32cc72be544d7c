#pragma once
// Shared pieces of the SAX handlers (boost::json::basic_parser) that read JSON text without
// building a tree: the request scan and the upstream usage scan.

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/string_view.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace switchyard {

// Events a handler does not care about, and the size limits of a parsed tree (so that a scan
// accepts exactly what boost::json::parse accepts). A handler derives from this and hides the
// events it reads; basic_parser calls them on the derived type.
struct JsonScanDefaults {
  static constexpr std::size_t max_object_size = boost::json::object::max_size();
  static constexpr std::size_t max_array_size = boost::json::array::max_size();
  static constexpr std::size_t max_key_size = boost::json::string::max_size();
  static constexpr std::size_t max_string_size = boost::json::string::max_size();
  using Code = boost::system::error_code;
  using View = boost::json::string_view;

  bool on_document_begin(Code&) { return true; }
  bool on_document_end(Code&) { return true; }
  bool on_object_begin(Code&) { return true; }
  bool on_object_end(std::size_t, Code&) { return true; }
  bool on_array_begin(Code&) { return true; }
  bool on_array_end(std::size_t, Code&) { return true; }
  bool on_key_part(View, std::size_t, Code&) { return true; }
  bool on_key(View, std::size_t, Code&) { return true; }
  bool on_string_part(View, std::size_t, Code&) { return true; }
  bool on_string(View, std::size_t, Code&) { return true; }
  bool on_number_part(View, Code&) { return true; }
  bool on_int64(int64_t, View, Code&) { return true; }
  bool on_uint64(uint64_t, View, Code&) { return true; }
  bool on_double(double, View, Code&) { return true; }
  bool on_bool(bool, Code&) { return true; }
  bool on_null(Code&) { return true; }
  bool on_comment_part(View, Code&) { return true; }
  bool on_comment(View, Code&) { return true; }
};

// A key as short text kept in place, for handlers that compare keys with a few short names: a
// longer key matches none of them anyway (it is kept cut, never equal to one). Keys arrive in
// parts when they hold escapes; `append` each part.
class ShortKey {
 public:
  void clear() {
    size_ = 0;
    cut_ = false;
  }
  void append(std::string_view s) {
    const size_t n = std::min(s.size(), sizeof text_ - size_);
    std::memcpy(text_ + size_, s.data(), n);
    size_ += n;
    cut_ = cut_ || n < s.size();
  }
  bool empty() const { return size_ == 0; }
  operator std::string_view() const {
    return cut_ ? std::string_view("\x01cut") : std::string_view(text_, size_);
  }

 private:
  char text_[48];
  size_t size_ = 0;
  bool cut_ = false;
};

}  // namespace switchyard
