#include "stages/cache/cached_answer_codec.hpp"

#include <bit>
#include <cstring>

namespace switchyard {

namespace {

// Bumped when the layout changes: an instance never misreads another version's entries, it
// misses them.
constexpr std::string_view kMagic = "SYC1";

class Writer {
 public:
  void varint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void signedVarint(int64_t v) {  // zigzag: small negatives stay small
    varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  void real(double v) { varint(std::bit_cast<uint64_t>(v)); }
  void text(std::string_view s) {
    varint(s.size());
    out_.append(s);
  }
  void raw(std::string_view s) { out_.append(s); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool atEnd() const { return pos_ == in_.size(); }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return fail();
      const auto byte = static_cast<uint8_t>(in_[pos_++]);
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
    return fail();
  }
  int64_t signedVarint() {
    const uint64_t v = varint();
    return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
  }
  double real() { return std::bit_cast<double>(varint()); }
  std::string_view text() {
    const uint64_t n = varint();
    if (!ok_ || n > in_.size() - pos_) {
      fail();
      return {};
    }
    const std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  bool expect(std::string_view s) {
    if (in_.substr(pos_, s.size()) != s) {
      fail();
      return false;
    }
    pos_ += s.size();
    return true;
  }
  int32_t int32() {
    const int64_t v = signedVarint();
    if (v < INT32_MIN || v > INT32_MAX) fail();
    return static_cast<int32_t>(v);
  }

 private:
  uint64_t fail() {
    ok_ = false;
    pos_ = in_.size();
    return 0;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void writeUsage(Writer& w, const Usage& u) {
  w.varint(u.present ? 1 : 0);
  w.signedVarint(u.promptTokens);
  w.signedVarint(u.completionTokens);
  w.signedVarint(u.totalTokens);
  w.signedVarint(u.cachedPromptTokens);
  w.signedVarint(u.cacheWriteTokens);
  w.signedVarint(u.reasoningTokens);
  w.signedVarint(u.images);
  w.real(u.seconds);
  w.signedVarint(u.characters);
  w.real(u.searchUnits);
}

Usage readUsage(Reader& r) {
  Usage u;
  u.present = r.varint() != 0;
  u.promptTokens = r.signedVarint();
  u.completionTokens = r.signedVarint();
  u.totalTokens = r.signedVarint();
  u.cachedPromptTokens = r.signedVarint();
  u.cacheWriteTokens = r.signedVarint();
  u.reasoningTokens = r.signedVarint();
  u.images = r.signedVarint();
  u.seconds = r.real();
  u.characters = r.signedVarint();
  u.searchUnits = r.real();
  return u;
}

// Writes each replayed event as it passes.
class EventWriter final : public EventSink {
 public:
  explicit EventWriter(Writer& w) : w_(w) {}
  void onEvent(const StreamEvent& e) override {
    w_.varint(static_cast<uint8_t>(e.kind));
    w_.signedVarint(e.choice);
    w_.signedVarint(e.index);
    w_.signedVarint(e.created);
    w_.text(e.text);
    w_.text(e.id);
    w_.text(e.name);
    w_.text(e.matchedStop);
    if (e.kind == StreamEvent::Kind::kUsage) writeUsage(w_, e.usage ? *e.usage : Usage{});
  }

 private:
  Writer& w_;
};

class EventCounter final : public EventSink {
 public:
  void onEvent(const StreamEvent&) override { ++n; }
  uint64_t n = 0;
};

int64_t toUnixMs(std::chrono::steady_clock::time_point t, const ClockPair& now) {
  return now.unixMs - std::chrono::duration_cast<std::chrono::milliseconds>(now.steady - t).count();
}

// A time another process wrote is believed only within this span of now: the steady clock's
// nanoseconds must not overflow on a corrupt one.
constexpr int64_t kPlausibleSpanMs = int64_t{20} * 365 * 24 * 3600 * 1000;

bool plausible(int64_t unixMs, const ClockPair& now) {
  return unixMs > now.unixMs - kPlausibleSpanMs && unixMs < now.unixMs + kPlausibleSpanMs;
}

std::chrono::steady_clock::time_point toSteady(int64_t unixMs, const ClockPair& now) {
  return now.steady + std::chrono::milliseconds(unixMs - now.unixMs);
}

}  // namespace

ClockPair ClockPair::now() {
  return {std::chrono::steady_clock::now(), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count()};
}

std::string encodeCachedAnswer(const CachedAnswer& entry, const ClockPair& now) {
  Writer w;
  w.raw(kMagic);
  w.text(entry.nameSpace);
  w.text(entry.model);
  w.text(entry.deployment);
  w.text(entry.provider);
  w.signedVarint(toUnixMs(entry.storedAt, now));
  w.signedVarint(toUnixMs(entry.expiresAt, now));
  w.real(entry.costUsd);
  w.varint(entry.costKnown ? 1 : 0);
  writeUsage(w, entry.usage);
  EventCounter count;
  entry.answer.replay(count);
  w.varint(count.n);
  EventWriter events(w);
  entry.answer.replay(events);
  return w.take();
}

std::shared_ptr<CachedAnswer> decodeCachedAnswer(std::string_view bytes, const ClockPair& now) {
  Reader r(bytes);
  if (!r.expect(kMagic)) return nullptr;
  auto entry = std::make_shared<CachedAnswer>();
  entry->nameSpace = r.text();
  entry->model = r.text();
  entry->deployment = r.text();
  entry->provider = r.text();
  const int64_t storedAt = r.signedVarint();
  const int64_t expiresAt = r.signedVarint();
  entry->costUsd = r.real();
  entry->costKnown = r.varint() != 0;
  entry->usage = readUsage(r);
  const uint64_t events = r.varint();
  // Every event takes at least 8 bytes: a count past that is not an entry.
  if (!r.ok() || events > bytes.size() / 8) return nullptr;
  using Kind = StreamEvent::Kind;
  for (uint64_t i = 0; i < events && r.ok(); ++i) {
    StreamEvent e;
    const uint64_t kind = r.varint();
    // kError is never recorded: an entry that holds one was not written by a gateway.
    if (kind > static_cast<uint8_t>(Kind::kEnd)) return nullptr;
    e.kind = static_cast<Kind>(kind);
    e.choice = r.int32();
    e.index = r.int32();
    e.created = r.signedVarint();
    e.text = r.text();
    e.id = r.text();
    e.name = r.text();
    e.matchedStop = r.text();
    Usage usage;
    if (e.kind == Kind::kUsage) {
      usage = readUsage(r);
      e.usage = &usage;
    }
    if (!r.ok()) return nullptr;
    entry->answer.onEvent(e);
  }
  if (!r.ok() || !r.atEnd() || !entry->answer.complete()) return nullptr;
  if (!plausible(storedAt, now) || !plausible(expiresAt, now) || storedAt > expiresAt) {
    return nullptr;
  }
  entry->storedAt = toSteady(storedAt, now);
  entry->expiresAt = toSteady(expiresAt, now);
  return entry;
}

}  // namespace switchyard
