#pragma once
// Reassembles what an OpenAI client sees from a translated chat.completion.chunk stream, so that
// stream tests can check content, reasoning, tool calls, finish reason and usage field by field.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <string>
#include <vector>

#include "client/sse_parser.hpp"

namespace switchyard::testing {

struct AssembledCall {
  std::string id;
  std::string name;
  std::string arguments;
};

struct Assembled {
  size_t chunks = 0;
  bool roleFirst = false;
  std::string content;
  std::string reasoning;
  std::map<int64_t, AssembledCall> toolCalls;
  std::vector<std::string> finishReasons;
  int usageChunks = 0;
  boost::json::object usage;
  bool done = false;
  bool dataAfterDone = false;
};

inline Assembled assemble(const std::string& sse) {
  namespace json = boost::json;
  Assembled a;
  SseParser parser;
  parser.feed(sse, [&](const SseEvent& e) {
    if (a.done) a.dataAfterDone = true;
    if (e.data == "[DONE]") {
      a.done = true;
      return;
    }
    json::value v = json::parse(e.data);
    const auto& chunk = v.as_object();
    EXPECT_EQ(chunk.at("object").as_string(), "chat.completion.chunk");
    const auto& choices = chunk.at("choices").as_array();
    if (const auto* u = chunk.if_contains("usage"); u && u->is_object()) {
      ++a.usageChunks;
      a.usage = u->as_object();
      EXPECT_TRUE(choices.empty()) << "usage arrives in its own chunk";
      return;
    }
    ASSERT_EQ(choices.size(), 1u);
    const auto& choice = choices[0].as_object();
    const auto& delta = choice.at("delta").as_object();
    if (a.chunks == 0) {
      a.roleFirst = delta.contains("role") && delta.at("role").as_string() == "assistant";
    }
    ++a.chunks;
    if (const auto* c = delta.if_contains("content"); c && c->is_string()) {
      a.content += c->as_string();
    }
    if (const auto* r = delta.if_contains("reasoning_content"); r && r->is_string()) {
      a.reasoning += r->as_string();
    }
    if (const auto* calls = delta.if_contains("tool_calls")) {
      for (const auto& c : calls->as_array()) {
        const auto& call = c.as_object();
        auto& out = a.toolCalls[call.at("index").as_int64()];
        if (const auto* id = call.if_contains("id")) out.id = id->as_string();
        if (const auto* fn = call.if_contains("function")) {
          if (const auto* n = fn->as_object().if_contains("name")) out.name = n->as_string();
          if (const auto* args = fn->as_object().if_contains("arguments")) {
            out.arguments += args->as_string();
          }
        }
      }
    }
    if (const auto& f = choice.at("finish_reason"); f.is_string()) {
      a.finishReasons.emplace_back(f.as_string());
    }
  });
  return a;
}

}  // namespace switchyard::testing
