#pragma once
// The texts of a request that reach the model, in the canonical (OpenAI-shaped) body whatever
// format the client spoke: chat messages (string or text parts, tool results, the arguments of
// earlier tool calls), a completion prompt, embeddings input, a system prompt. Works on a const
// body (to look) and on a mutable one (to rewrite), with the same walk.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <type_traits>

namespace switchyard::guardrails {

namespace detail {

template <class Value, class F>
void visitStringOrStrings(Value& v, F& f) {
  if (v.is_string()) {
    f(v.get_string());
  } else if (v.is_array()) {
    for (auto& item : v.get_array()) {
      if (item.is_string()) f(item.get_string());
    }
  }
}

// A content value: a string, or parts whose "text" (and a tool result's nested "content") are
// texts.
template <class Value, class F>
void visitContent(Value& v, F& f, int depth = 0) {
  if (v.is_string()) {
    f(v.get_string());
    return;
  }
  if (!v.is_array() || depth > 3) return;
  for (auto& part : v.get_array()) {
    if (!part.is_object()) continue;
    auto& o = part.get_object();
    if (auto* t = o.if_contains("text"); t && t->is_string()) f(t->get_string());
    if (auto* c = o.if_contains("content")) visitContent(*c, f, depth + 1);
    if (auto* in = o.if_contains("input"); in && in->is_string()) f(in->get_string());
  }
}

template <class Value, class F>
void visitToolCalls(Value& calls, F& f) {
  if (!calls.is_array()) return;
  for (auto& call : calls.get_array()) {
    if (!call.is_object()) continue;
    if (auto* fn = call.get_object().if_contains("function"); fn && fn->is_object()) {
      if (auto* a = fn->get_object().if_contains("arguments"); a && a->is_string()) {
        f(a->get_string());
      }
    }
  }
}

}  // namespace detail

// Calls f(string&) (const string& for a const body) for each text.
template <class Object, class F>
void forEachInputText(Object& body, F&& f) {
  static_assert(std::is_same_v<std::remove_const_t<Object>, boost::json::object>);
  if (auto* messages = body.if_contains("messages"); messages && messages->is_array()) {
    for (auto& m : messages->get_array()) {
      if (!m.is_object()) continue;
      auto& msg = m.get_object();
      if (auto* c = msg.if_contains("content")) detail::visitContent(*c, f);
      if (auto* calls = msg.if_contains("tool_calls")) detail::visitToolCalls(*calls, f);
      if (auto* fc = msg.if_contains("function_call"); fc && fc->is_object()) {
        if (auto* a = fc->get_object().if_contains("arguments"); a && a->is_string()) {
          f(a->get_string());
        }
      }
    }
  }
  if (auto* system = body.if_contains("system")) detail::visitContent(*system, f);
  if (auto* prompt = body.if_contains("prompt")) detail::visitStringOrStrings(*prompt, f);
  if (auto* input = body.if_contains("input")) detail::visitStringOrStrings(*input, f);
  if (auto* s = body.if_contains("instructions"); s && s->is_string()) f(s->get_string());
}

}  // namespace switchyard::guardrails
