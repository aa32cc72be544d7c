#pragma once
// A JSON text parsed into a tree that lives in a buffer of its own, on the stack of whoever holds
// it: a stream event (one per token) or a typical answer then costs no allocation. The tree is
// valid while the holder lives.

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <string_view>

namespace switchyard::common {

template <std::size_t kBytes = 4096>
class ScratchJson {
 public:
  // The tree is made with the arena, so that a parsed tree (same arena) is moved in, not copied
  // out of it.
  ScratchJson() : value_(boost::json::storage_ptr(&arena_)) {}
  ScratchJson(const ScratchJson&) = delete;
  ScratchJson& operator=(const ScratchJson&) = delete;

  // The text's object, or nullptr when it is not valid JSON or not an object.
  boost::json::object* parseObject(std::string_view text) {
    boost::system::error_code ec;
    value_ = boost::json::parse(text, ec, &arena_);
    return ec ? nullptr : value_.if_object();
  }

 private:
  unsigned char buffer_[kBytes];
  boost::json::monotonic_resource arena_{buffer_, kBytes};
  boost::json::value value_;
};

}  // namespace switchyard::common
