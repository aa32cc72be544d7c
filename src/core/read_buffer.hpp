#pragma once
// Bytes read from a socket and not consumed yet, for the client sessions and the upstream
// connections alike. Consuming moves an offset; the unread bytes move to the front only when a
// read needs the room, so views into data() stay valid until the next prepare().

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <cstring>
#include <string_view>
#include <vector>

namespace switchyard {

class ReadBuffer {
 public:
  static constexpr size_t kReadSize = 16 * 1024;
  // A buffer grown past this (one large body) is released once it is empty, so that it does not
  // pin its memory for the rest of a keep-alive connection.
  static constexpr size_t kKeepCapacity = 64 * 1024;

  std::string_view data() const { return {buf_.data() + begin_, end_ - begin_}; }
  size_t size() const { return end_ - begin_; }

  // Room for at least kReadSize more bytes at the end.
  boost::asio::mutable_buffer prepare() {
    if (begin_ == end_) {
      begin_ = end_ = 0;
      if (buf_.size() > kKeepCapacity) std::vector<char>().swap(buf_);
    } else if (buf_.size() - end_ < kReadSize && begin_ > 0) {
      std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (buf_.size() - end_ < kReadSize) buf_.resize(end_ + kReadSize);
    return boost::asio::buffer(buf_.data() + end_, buf_.size() - end_);
  }
  void commit(size_t n) { end_ += n; }
  void consume(size_t n) { begin_ += std::min(n, size()); }

 private:
  std::vector<char> buf_;
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace switchyard
