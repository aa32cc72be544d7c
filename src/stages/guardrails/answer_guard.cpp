#include "stages/guardrails/answer_guard.hpp"

namespace switchyard {

using Kind = StreamEvent::Kind;

AnswerGuard::AnswerGuard(std::shared_ptr<GuardrailRun> run) : run_(std::move(run)) {
  channels_.reserve(4);
}

bool AnswerGuard::isText(Kind k) {
  return k == Kind::kText || k == Kind::kReasoning || k == Kind::kRefusal ||
         k == Kind::kToolArguments;
}

size_t AnswerGuard::channel(const StreamEvent& e) {
  for (size_t i = 0; i < channels_.size(); ++i) {
    const auto& c = channels_[i];
    if (c.kind == e.kind && c.choice == e.choice && c.index == e.index) return i;
  }
  auto& c = channels_.emplace_back(Channel{e.kind, e.choice, e.index, {}, {}});
  if (!run_->placeholders.empty()) c.restorer.emplace(run_->placeholders);
  if (!run_->output.empty()) c.scanner.emplace(run_->output, *run_);
  return channels_.size() - 1;
}

void AnswerGuard::send(const Channel& c, std::string_view text) {
  if (text.empty()) return;
  StreamEvent e = StreamEvent::delta(c.kind, text, c.choice);
  e.index = c.index;
  next().onEvent(e);
}

bool AnswerGuard::pass(Channel& c, std::string_view piece, bool final) {
  std::string_view text = piece;
  if (c.restorer) {
    restored_.clear();
    c.restorer->feed(piece, restored_);
    if (final) c.restorer->flush(restored_);
    text = restored_;
  }
  if (!c.scanner) {
    send(c, text);
    return true;
  }
  released_.clear();
  auto block = c.scanner->feed(text, released_);
  if (!block.rule && final) block = c.scanner->flush(released_);
  if (block.rule) {
    blocked_ = true;
    blockError_ = guardrails::blockError(*block.guardrail, *block.rule);
    next().onEvent(StreamEvent::failure(blockError_));
    return false;
  }
  send(c, released_);
  return true;
}

bool AnswerGuard::flushAll() {
  if (current_ == kNone) return true;
  const size_t c = current_;
  current_ = kNone;
  return pass(channels_[c], {}, true);
}

void AnswerGuard::onEvent(const StreamEvent& e) {
  if (blocked_) return;
  if (isText(e.kind)) {
    const size_t c = channel(e);
    if (current_ != c && !flushAll()) return;
    current_ = c;
    pass(channels_[c], e.text, false);
    return;
  }
  if (!flushAll()) return;
  next().onEvent(e);
}

}  // namespace switchyard
