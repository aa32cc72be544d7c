#pragma once
// One blocking connection to a Redis server, for a background thread (the shared counters of
// several gateway instances, store/redis/shared_counters.hpp): commands go out as one pipeline
// and their replies come back in order. hiredis speaks the protocol; every call is bounded by the
// endpoint's timeout, and a failed call closes the connection so that the next one reconnects.
// Never used on a worker thread.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/redis_settings.hpp"
#include "core/error.hpp"

struct redisContext;

namespace switchyard {

struct RedisReply {
  enum class Type : uint8_t { kNil, kString, kStatus, kInteger, kArray, kError };
  Type type = Type::kNil;
  int64_t integer = 0;
  std::string str;  // kString, kStatus, kError
  std::vector<RedisReply> elements;

  bool isError() const { return type == Type::kError; }
  // The number this reply holds, as an integer or as text (INCRBYFLOAT and scripts answer text).
  std::optional<double> number() const;
};

using RedisCommand = std::vector<std::string>;

class RedisConnection {
 public:
  explicit RedisConnection(RedisEndpoint endpoint);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends the commands as one pipeline (connecting, authenticating and selecting the database
  // first when not connected) and returns one reply per command. A reply may be a Redis error
  // (kError) for its own command; the Error result is for the connection (refused, timed out,
  // closed), after which the connection is closed.
  Result<std::vector<RedisReply>> run(const std::vector<RedisCommand>& commands);
  bool connected() const { return context_ != nullptr; }
  void close();

 private:
  Result<void> connect();
  Result<void> send(const std::vector<RedisCommand>& commands);
  Error fail(std::string what);

  RedisEndpoint endpoint_;
  redisContext* context_ = nullptr;
};

}  // namespace switchyard
