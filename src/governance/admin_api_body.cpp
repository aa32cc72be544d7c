#include "governance/admin_api_body.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <ctime>

#include "core/hex.hpp"

namespace switchyard::admin_api {

namespace json = boost::json;

namespace {

// The fields every principal takes; each route adds its own.
constexpr Field kLimitFields[] = {{"models", Type::kStringList},
                                  {"max_budget", Type::kNumber},
                                  {"soft_budget", Type::kNumber},
                                  {"budget_duration", Type::kDuration},
                                  {"tpm_limit", Type::kCount},
                                  {"rpm_limit", Type::kCount},
                                  {"max_parallel_requests", Type::kCount},
                                  {"metadata", Type::kObject},
                                  {"blocked", Type::kBool}};

bool validValue(const json::value& v, Type t) {
  switch (t) {
    case Type::kString:
      return v.is_string();
    case Type::kNumber: {
      if (!v.is_number()) return false;
      const double d = v.to_number<double>();
      return std::isfinite(d) && d >= 0;
    }
    case Type::kCount: {
      // Whole numbers up to 10^15: any real limit, and exact as a double.
      if (!v.is_number()) return false;
      const double d = v.to_number<double>();
      return d >= 0 && d <= 1e15 && std::floor(d) == d;
    }
    case Type::kBool:
      return v.is_bool();
    case Type::kStringList:
      if (!v.is_array()) return false;
      for (const auto& e : v.get_array()) {
        if (!e.is_string()) return false;
      }
      return true;
    case Type::kObject:
      return v.is_object();
    case Type::kDuration:
      return v.is_string() && parseBudgetDuration(v.get_string()).has_value();
    case Type::kTimestamp:
      return v.is_string() && parseDate(v.get_string()).has_value();
  }
  return false;
}

std::optional<double> number(const json::object& o, std::string_view name) {
  if (const auto* v = field(o, name)) return v->to_number<double>();
  return std::nullopt;
}

std::optional<int64_t> count(const json::object& o, std::string_view name) {
  if (const auto* v = field(o, name)) return static_cast<int64_t>(v->to_number<double>());
  return std::nullopt;
}

std::string percentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hexDigitValue(s[i + 1]) >= 0 &&
               hexDigitValue(s[i + 2]) >= 0) {
      out += static_cast<char>(hexDigitValue(s[i + 1]) * 16 + hexDigitValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::optional<int64_t> parseDate(std::string_view s) {
  std::tm tm{};
  const std::string text(s);
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!end) {
    tm = {};
    end = strptime(text.c_str(), "%Y-%m-%d", &tm);
  }
  if (!end || (*end != '\0' && std::string_view(end) != "Z")) return std::nullopt;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

std::string typeName(Type t) {
  switch (t) {
    case Type::kString:
      return "a string";
    case Type::kNumber:
      return "a number >= 0";
    case Type::kCount:
      return "a whole number from 0 to 10^15";
    case Type::kBool:
      return "true or false";
    case Type::kStringList:
      return "a list of strings";
    case Type::kObject:
      return "an object";
    case Type::kDuration:
      return "a duration such as \"30s\", \"15m\", \"24h\", \"30d\" or \"1mo\"";
    case Type::kTimestamp:
      return "a date such as \"2026-12-31\" or \"2026-12-31T23:59:59Z\"";
  }
  return "";
}

Result<json::object> parseBody(std::string_view body, std::span<const Field> own, bool withLimits) {
  boost::system::error_code ec;
  json::value doc = json::parse(body.empty() ? std::string_view("{}") : body, ec);
  if (ec || !doc.is_object()) {
    return Error::make(ErrorClass::kBadRequest, "The request body must be a JSON object.", {},
                       "invalid_json");
  }
  for (const auto& [name, value] : doc.get_object()) {
    const Field* field = nullptr;
    for (const auto& f : own) {
      if (f.name == name) field = &f;
    }
    if (withLimits) {
      for (const auto& f : kLimitFields) {
        if (f.name == name) field = &f;
      }
    }
    if (!field) {
      std::string allowed;
      for (const auto& f : own) allowed += (allowed.empty() ? "" : ", ") + std::string(f.name);
      if (withLimits) {
        for (const auto& f : kLimitFields) allowed += ", " + std::string(f.name);
      }
      return Error::make(ErrorClass::kBadRequest,
                         "Unknown field '" + std::string(name) + "'. Allowed: " + allowed + ".",
                         std::string(name), "unknown_field");
    }
    if (!value.is_null() && !validValue(value, field->type)) {
      return Error::make(ErrorClass::kBadRequest,
                         "'" + std::string(name) + "' must be " + typeName(field->type) + ".",
                         std::string(name), "invalid_field");
    }
  }
  return std::move(doc.get_object());
}

const json::value* field(const json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  return v && !v->is_null() ? v : nullptr;
}

std::string string(const json::object& o, std::string_view name) {
  if (const auto* v = field(o, name)) return std::string(v->get_string());
  return {};
}

std::optional<std::string> queryParam(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return eq == std::string_view::npos ? std::string() : percentDecode(pair.substr(eq + 1));
    }
  }
  return std::nullopt;
}

void applyLimits(Principal& p, const json::object& body, int64_t now) {
  auto set = [&](std::string_view name, auto& target, auto read) {
    if (body.contains(name)) target = read(body, name);
  };
  set("max_budget", p.maxBudget, number);
  set("soft_budget", p.softBudget, number);
  set("tpm_limit", p.tpmLimit, count);
  set("rpm_limit", p.rpmLimit, count);
  set("max_parallel_requests", p.maxParallelRequests, count);
  if (body.contains("models")) {
    p.models.clear();
    if (const auto* v = field(body, "models")) {
      for (const auto& m : v->get_array()) p.models.emplace_back(m.get_string());
    }
  }
  if (body.contains("metadata")) {
    const auto* v = field(body, "metadata");
    p.metadata = v ? json::serialize(*v) : "{}";
  }
  if (const auto* v = field(body, "blocked")) p.blocked = v->get_bool();
  if (body.contains("budget_duration")) {
    p.budgetDuration = string(body, "budget_duration");
    p.budgetResetAt = p.budgetDuration.empty() ? 0 : now + *parseBudgetDuration(p.budgetDuration);
  }
}

Result<void> checkBudgets(const Principal& p) {
  if (p.maxBudget && p.softBudget && *p.softBudget > *p.maxBudget) {
    return Error::make(ErrorClass::kBadRequest, "soft_budget must not exceed max_budget.",
                       "soft_budget", "invalid_field");
  }
  return {};
}

}  // namespace switchyard::admin_api
