#include "api/openai/responses_conversation.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>

#include "api/request.hpp"

namespace switchyard::responses_state {

namespace json = boost::json;

namespace {

std::string_view idPrefix(std::string_view type) {
  if (type == "message") return "msg_";
  if (type == "function_call") return "fc_";
  if (type == "function_call_output") return "fco_";
  if (type == "reasoning") return "rs_";
  return "item_";
}

// A message's string content as the one part OpenAI lists it as.
void partsFromString(json::object& item) {
  const auto* role = item.if_contains("role");
  const bool assistant = role && *role == "assistant";
  auto* content = item.if_contains("content");
  if (!content || !content->is_string()) return;
  json::array parts;
  parts.push_back(json::object{{"type", assistant ? "output_text" : "input_text"},
                               {"text", content->get_string()}});
  *content = std::move(parts);
}

Result<json::value> parseJson(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec, {}, requestParseOptions());
  if (ec) {
    return Error::make(ErrorClass::kInternal, "A stored response's " + std::string(what) +
                                                  " is not JSON: " + ec.message());
  }
  return v;
}

}  // namespace

json::array inputItems(const json::value& input, std::string_view responseId) {
  const std::string_view hex = responseId.starts_with("resp_") ? responseId.substr(5) : responseId;
  json::array items;
  if (input.is_string()) {
    items.push_back(json::object{{"type", "message"}, {"role", "user"}, {"content", input}});
  } else if (input.is_array()) {
    for (const auto& v : input.get_array()) {
      if (v.is_object()) items.push_back(v);
    }
  }
  size_t index = 0;
  for (auto& v : items) {
    json::object& item = v.get_object();
    if (!item.contains("type")) item["type"] = "message";
    // A copy: adding members below may move the object's values (and a short string's text).
    const std::string type(item["type"].is_string() ? std::string_view(item["type"].get_string())
                                                    : std::string_view());
    if (type == "message") {
      partsFromString(item);
      if (!item.contains("status")) item["status"] = "completed";
    }
    if (!item.contains("id") || !item["id"].is_string()) {
      item["id"] = std::string(idPrefix(type)) + std::string(hex) + "in" + std::to_string(index);
    }
    ++index;
  }
  return items;
}

Result<json::array> conversationItems(const StoredResponse& r) {
  auto input = parseJson(r.inputItems, "input items");
  if (!input) return input.error();
  auto response = parseJson(r.response, "response");
  if (!response) return response.error();
  json::array items = input->is_array() ? std::move(input->get_array()) : json::array();
  if (response->is_object()) {
    if (auto* output = response->get_object().if_contains("output"); output && output->is_array()) {
      for (auto& item : output->get_array()) items.push_back(std::move(item));
    }
  }
  return items;
}

Result<std::string> continueConversation(std::string_view body, const StoredResponse& previous) {
  auto history = conversationItems(previous);
  if (!history) return history.error();
  boost::system::error_code ec;
  json::value root = json::parse(body, ec, {}, requestParseOptions());
  if (ec || !root.is_object()) {
    return Error::make(ErrorClass::kBadRequest, "The request body must be a JSON object.", {},
                       "invalid_json");
  }
  json::object& request = root.get_object();
  json::array input;
  for (auto& v : *history) {
    if (!v.is_object()) continue;
    json::object& item = v.get_object();
    if (const auto* type = item.if_contains("type"); type && *type == "reasoning") continue;
    item.erase("id");
    item.erase("status");
    input.push_back(std::move(v));
  }
  if (auto* own = request.if_contains("input")) {
    if (own->is_string()) {
      input.push_back(json::object{{"role", "user"}, {"content", own->get_string()}});
    } else if (own->is_array()) {
      for (auto& item : own->get_array()) input.push_back(std::move(item));
    }
  }
  request["input"] = std::move(input);
  request.erase("previous_response_id");
  return json::serialize(root);
}

Result<std::string> inputItemsPage(const StoredResponse& r, const PageQuery& query) {
  int64_t limit = 20;
  if (query.limit) {
    const std::string& s = *query.limit;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), limit);
    if (ec != std::errc() || end != s.data() + s.size() || limit < 1 || limit > 100) {
      return Error::make(ErrorClass::kBadRequest,
                         "Invalid 'limit': expected an integer between 1 and 100.", "limit",
                         "invalid_value");
    }
  }
  const bool ascending = query.order && *query.order == "asc";
  if (query.order && !ascending && *query.order != "desc") {
    return Error::make(ErrorClass::kBadRequest, "Invalid 'order': expected 'asc' or 'desc'.",
                       "order", "invalid_value");
  }
  auto parsed = parseJson(r.inputItems, "input items");
  if (!parsed) return parsed.error();
  json::array items = parsed->is_array() ? std::move(parsed->get_array()) : json::array();
  if (!ascending) std::reverse(items.begin(), items.end());
  auto position = [&](const std::optional<std::string>& id,
                      std::string_view param) -> Result<size_t> {
    for (size_t i = 0; i < items.size(); ++i) {
      const auto* v = items[i].is_object() ? items[i].get_object().if_contains("id") : nullptr;
      if (v && v->is_string() && v->get_string() == *id) return i;
    }
    return Error::make(ErrorClass::kBadRequest,
                       "Invalid '" + std::string(param) + "': no input item '" + *id + "'.",
                       std::string(param), "invalid_value");
  };
  size_t begin = 0;
  size_t end = items.size();
  if (query.after) {
    auto at = position(query.after, "after");
    if (!at) return at.error();
    begin = *at + 1;
  }
  if (query.before) {
    auto at = position(query.before, "before");
    if (!at) return at.error();
    end = std::max(begin, *at);
  }
  const size_t last = std::min(end, begin + static_cast<size_t>(limit));
  json::array data;
  for (size_t i = begin; i < last; ++i) data.push_back(std::move(items[i]));
  auto idOf = [](const json::array& a, size_t i) -> json::value {
    const auto* v = a[i].is_object() ? a[i].get_object().if_contains("id") : nullptr;
    return v ? *v : json::value(nullptr);
  };
  json::value first = data.empty() ? json::value(nullptr) : idOf(data, 0);
  json::value lastId = data.empty() ? json::value(nullptr) : idOf(data, data.size() - 1);
  return json::serialize(json::object{{"object", "list"},
                                      {"data", std::move(data)},
                                      {"first_id", std::move(first)},
                                      {"last_id", std::move(lastId)},
                                      {"has_more", last < end}});
}

Error responseNotFound(std::string_view id, bool previous) {
  if (previous) {
    return Error::make(ErrorClass::kNotFound,
                       "Previous response with id '" + std::string(id) + "' not found.",
                       "previous_response_id", "previous_response_not_found");
  }
  return Error::make(ErrorClass::kNotFound, "No response found with id '" + std::string(id) + "'.",
                     {}, "response_not_found");
}

}  // namespace switchyard::responses_state
