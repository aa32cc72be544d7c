#include "store/redis/redis_connection.hpp"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <charconv>

namespace switchyard {

namespace {

timeval toTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

RedisReply convert(const redisReply& r) {
  RedisReply out;
  switch (r.type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements.reserve(r.elements);
      for (size_t i = 0; i < r.elements; ++i) out.elements.push_back(convert(*r.element[i]));
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

}  // namespace

std::optional<double> RedisReply::number() const {
  if (type == Type::kInteger) return static_cast<double>(integer);
  if (type != Type::kString && type != Type::kStatus) return std::nullopt;
  double v = 0;
  const auto [ptr, ec] = std::from_chars(str.data(), str.data() + str.size(), v);
  if (ec != std::errc() || ptr != str.data() + str.size()) return std::nullopt;
  return v;
}

RedisConnection::RedisConnection(RedisEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

RedisConnection::~RedisConnection() { close(); }

void RedisConnection::close() {
  if (context_) redisFree(context_);
  context_ = nullptr;
}

Error RedisConnection::fail(std::string what) {
  std::string message =
      "redis " + endpoint_.host + ":" + std::to_string(endpoint_.port) + ": " + what;
  if (context_ && context_->err) message += ": " + std::string(context_->errstr);
  close();
  return Error::make(ErrorClass::kUnavailable, std::move(message));
}

Result<void> RedisConnection::connect() {
  context_ =
      redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, toTimeval(endpoint_.timeout));
  if (!context_) return fail("cannot allocate a connection");
  if (context_->err) return fail("cannot connect");
  if (redisSetTimeout(context_, toTimeval(endpoint_.timeout)) != REDIS_OK) {
    return fail("cannot set the timeout");
  }
  std::vector<RedisCommand> hello;
  if (!endpoint_.password.empty()) {
    hello.push_back(endpoint_.username.empty()
                        ? RedisCommand{"AUTH", endpoint_.password}
                        : RedisCommand{"AUTH", endpoint_.username, endpoint_.password});
  }
  if (endpoint_.db != 0) hello.push_back({"SELECT", std::to_string(endpoint_.db)});
  if (hello.empty()) return {};
  if (auto sent = send(hello); !sent) return sent.error();
  for (size_t i = 0; i < hello.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || !raw)
      return fail("no answer to " + hello[i][0]);
    const RedisReply r = convert(*static_cast<redisReply*>(raw));
    freeReplyObject(raw);
    if (r.isError()) return fail(hello[i][0] + " refused: " + r.str);
  }
  return {};
}

Result<void> RedisConnection::send(const std::vector<RedisCommand>& commands) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const auto& c : commands) {
    argv.clear();
    lengths.clear();
    for (const auto& a : c) {
      argv.push_back(a.data());
      lengths.push_back(a.size());
    }
    if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(),
                               lengths.data()) != REDIS_OK) {
      return fail("cannot queue a command");
    }
  }
  return {};
}

Result<std::vector<RedisReply>> RedisConnection::run(const std::vector<RedisCommand>& commands) {
  if (!context_) {
    if (auto c = connect(); !c) return c.error();
  }
  if (auto sent = send(commands); !sent) return sent.error();
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || !raw) return fail("no answer");
    replies.push_back(convert(*static_cast<redisReply*>(raw)));
    freeReplyObject(raw);
  }
  return replies;
}

}  // namespace switchyard
