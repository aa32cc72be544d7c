#include "config/yaml_values.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>
#include <cmath>
#include <limits>
#include <regex>

#include "core/litellm_duration.hpp"

namespace switchyard::config_detail {

void ParseContext::warn(std::string path, std::string message) {
  diagnostics_.push_back(
      {ConfigDiagnostic::Severity::kWarning, std::move(path), std::move(message)});
}

void ParseContext::strictWarn(std::string path, std::string message) {
  diagnostics_.push_back(
      {ConfigDiagnostic::Severity::kWarning, std::move(path), std::move(message), true});
}

void ParseContext::error(std::string path, std::string message) {
  diagnostics_.push_back({ConfigDiagnostic::Severity::kError, std::move(path), std::move(message)});
}

bool ParseContext::hasErrors() const {
  for (const auto& d : diagnostics_) {
    if (d.severity == ConfigDiagnostic::Severity::kError) return true;
  }
  return false;
}

std::optional<std::string> ParseContext::getenv(std::string_view name) const {
  if (auto it = overrides_.find(name); it != overrides_.end()) {
    if (it->second.empty()) return std::nullopt;
    return it->second;
  }
  if (!env_) return std::nullopt;
  auto value = env_(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

void ParseContext::setOverride(std::string name, std::string value) {
  overrides_[std::move(name)] = std::move(value);
}

std::string childPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string p(parent);
  p += '.';
  p += key;
  return p;
}

std::string indexPath(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

namespace {

const char* kindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a scalar";
    default:
      return "nothing";
  }
}

std::optional<int64_t> parseYamlInt(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
    base = 2;
    s.remove_prefix(2);
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8;  // YAML 1.1: a leading zero means octal, as in PyYAML
    s.remove_prefix(1);
  }
  std::string digits;
  for (char c : s) {
    if (c != '_') digits += c;
  }
  if (digits.empty() || s.front() == '_') return std::nullopt;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (ec != std::errc{} || ptr != digits.data() + digits.size()) return std::nullopt;
  return negative ? -value : value;
}

std::optional<double> parseDouble(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  double value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool isQuoted(const YAML::Node& node) {
  return node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str";
}

// Resolves "os.environ/NAME"; nullopt (after reporting) when NAME is unset.
std::optional<std::string> resolveEnv(std::string text, const std::string& path, ParseContext& ctx,
                                      UnsetEnv unset) {
  if (!text.starts_with(kEnvPrefix)) return text;
  const std::string name = text.substr(kEnvPrefix.size());
  if (name.empty()) {
    ctx.error(path, "'" + text + "' names no environment variable");
    return std::nullopt;
  }
  if (auto value = ctx.getenv(name)) return value;
  std::string message = "environment variable " + name + " (" + text + ") is not set";
  if (unset == UnsetEnv::kError) {
    ctx.error(path, std::move(message));
  } else {
    ctx.warn(path, message + ": ignored");
  }
  return std::nullopt;
}

}  // namespace

Scalar classifyText(std::string text) {
  static const std::regex kFloat(
      R"([-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))");
  static const std::regex kInt(R"([-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|0|[1-9][0-9_]*))");
  Scalar s;
  s.text = std::move(text);
  const std::string& t = s.text;
  if (t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL") {
    s.kind = Scalar::Kind::kNull;
  } else if (t == "true" || t == "True" || t == "TRUE" || t == "yes" || t == "Yes" || t == "YES" ||
             t == "on" || t == "On" || t == "ON") {
    s.kind = Scalar::Kind::kBool;
    s.boolean = true;
  } else if (t == "false" || t == "False" || t == "FALSE" || t == "no" || t == "No" || t == "NO" ||
             t == "off" || t == "Off" || t == "OFF") {
    s.kind = Scalar::Kind::kBool;
    s.boolean = false;
  } else if (std::regex_match(t, kInt)) {
    if (auto v = parseYamlInt(t)) {
      s.kind = Scalar::Kind::kInt;
      s.integer = *v;
      s.number = static_cast<double>(*v);
    } else {
      s.kind = Scalar::Kind::kFloat;  // too large for int64
      s.number = std::strtod(t.c_str(), nullptr);
    }
  } else if (t != "." && std::regex_match(t, kFloat)) {
    s.kind = Scalar::Kind::kFloat;
    std::string lower;
    for (char c : t) {
      if (c != '_') lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (lower.ends_with(".inf")) {
      s.number = lower[0] == '-' ? -std::numeric_limits<double>::infinity()
                                 : std::numeric_limits<double>::infinity();
    } else if (lower == ".nan") {
      s.number = std::numeric_limits<double>::quiet_NaN();
    } else {
      s.number = std::strtod(lower.c_str(), nullptr);
    }
  } else {
    s.kind = Scalar::Kind::kString;
  }
  return s;
}

Scalar classify(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return Scalar{};
  if (isQuoted(node)) {
    Scalar s;
    s.kind = Scalar::Kind::kString;
    s.text = node.Scalar();
    return s;
  }
  return classifyText(node.Scalar());
}

bool isNull(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return true;
  return node.IsScalar() && classify(node).kind == Scalar::Kind::kNull;
}

MapEntries mapEntries(const YAML::Node& node, const std::string& path, ParseContext& ctx) {
  MapEntries entries;
  MapEntries merged;
  if (!node.IsMap()) return entries;
  auto find = [](MapEntries& in, const std::string& key) {
    return std::find_if(in.begin(), in.end(), [&](const auto& e) { return e.first == key; });
  };
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) {
      ctx.error(path, "keys must be plain strings, found " + std::string(kindName(it->first)));
      continue;
    }
    std::string key = it->first.Scalar();
    // PyYAML's merge key ("<<: *defaults"), common in LiteLLM configs; yaml-cpp 0.7 lacks it.
    // Keys written in the mapping win, then earlier merged mappings over later ones.
    if (key == "<<" && !isQuoted(it->first)) {
      const YAML::Node value = it->second;
      std::vector<YAML::Node> sources;
      if (value.IsMap()) {
        sources.push_back(value);
      } else if (value.IsSequence()) {
        for (size_t i = 0; i < value.size(); ++i) sources.push_back(value[i]);
      }
      const bool valid = !sources.empty() && std::all_of(sources.begin(), sources.end(),
                                                         [](const auto& n) { return n.IsMap(); });
      if (!valid) {
        ctx.error(childPath(path, key), "a merge key needs a mapping or a list of mappings");
        continue;
      }
      for (const auto& source : sources) {
        for (auto& entry : mapEntries(source, path, ctx)) {
          if (find(merged, entry.first) == merged.end()) merged.push_back(std::move(entry));
        }
      }
      continue;
    }
    if (auto existing = find(entries, key); existing != entries.end()) {
      ctx.warn(childPath(path, key), "duplicate key: the last value is used");
      existing->second = it->second;
    } else {
      entries.emplace_back(std::move(key), it->second);
    }
  }
  for (auto& entry : merged) {
    if (find(entries, entry.first) == entries.end()) entries.push_back(std::move(entry));
  }
  return entries;
}

std::optional<std::string> readString(const YAML::Node& node, const std::string& path,
                                      ParseContext& ctx, UnsetEnv unset) {
  if (isNull(node)) return std::nullopt;
  if (!node.IsScalar()) {
    ctx.error(path, std::string("expected a string, found ") + kindName(node));
    return std::nullopt;
  }
  return resolveEnv(node.Scalar(), path, ctx, unset);
}

std::optional<double> readNumber(const YAML::Node& node, const std::string& path, ParseContext& ctx,
                                 double min, double max) {
  if (isNull(node)) return std::nullopt;
  if (!node.IsScalar()) {
    ctx.error(path, std::string("expected a number, found ") + kindName(node));
    return std::nullopt;
  }
  Scalar s = classify(node);
  std::optional<double> value;
  if (s.kind == Scalar::Kind::kInt || s.kind == Scalar::Kind::kFloat) {
    value = s.number;
  } else if (s.kind == Scalar::Kind::kString) {
    // LiteLLM calls float() on strings, so "30" and os.environ/TIMEOUT are numbers too.
    auto text = resolveEnv(s.text, path, ctx, UnsetEnv::kError);
    if (!text) return std::nullopt;
    value = parseDouble(trim(*text));
    if (!value) {
      ctx.error(path, "expected a number, found '" + *text + "'");
      return std::nullopt;
    }
  } else {
    ctx.error(path, "expected a number, found '" + s.text + "'");
    return std::nullopt;
  }
  if (!std::isfinite(*value)) {
    ctx.error(path, "expected a finite number, found '" + s.text + "'");
    return std::nullopt;
  }
  if (*value < min || *value > max) {
    auto fmt = [](double d) {
      std::string out = std::to_string(d);
      while (out.ends_with('0')) out.pop_back();
      if (out.ends_with('.')) out.pop_back();
      return out;
    };
    if (*value < 0 && min >= 0) {
      ctx.error(path, "must not be negative, found " + fmt(*value));
    } else {
      ctx.error(path,
                "must be between " + fmt(min) + " and " + fmt(max) + ", found " + fmt(*value));
    }
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> readInteger(const YAML::Node& node, const std::string& path,
                                   ParseContext& ctx, int64_t min, int64_t max) {
  auto value = readNumber(node, path, ctx, static_cast<double>(min), static_cast<double>(max));
  if (!value) return std::nullopt;
  if (*value != std::floor(*value)) {
    ctx.error(path, "expected a whole number, found " + std::to_string(*value));
    return std::nullopt;
  }
  return static_cast<int64_t>(*value);
}

std::optional<bool> readBool(const YAML::Node& node, const std::string& path, ParseContext& ctx) {
  if (isNull(node)) return std::nullopt;
  if (!node.IsScalar()) {
    ctx.error(path, std::string("expected true or false, found ") + kindName(node));
    return std::nullopt;
  }
  Scalar s = classify(node);
  if (s.kind == Scalar::Kind::kString) {
    auto text = resolveEnv(s.text, path, ctx, UnsetEnv::kError);
    if (!text) return std::nullopt;
    s = classifyText(*text);
  }
  if (s.kind != Scalar::Kind::kBool) {
    ctx.error(path, "expected true or false, found '" + s.text + "'");
    return std::nullopt;
  }
  return s.boolean;
}

std::optional<std::chrono::milliseconds> readSeconds(const YAML::Node& node,
                                                     const std::string& path, ParseContext& ctx,
                                                     bool allowZero) {
  // A year is far beyond any sensible timeout and keeps milliseconds well inside int64.
  constexpr double kMaxSeconds = 365.0 * 24 * 3600;
  auto seconds = readNumber(node, path, ctx, 0, kMaxSeconds);
  if (!seconds) return std::nullopt;
  auto ms = std::chrono::milliseconds(std::llround(*seconds * 1000));
  if (ms.count() == 0 && !allowZero) {
    ctx.error(path, "must be greater than 0 seconds");
    return std::nullopt;
  }
  return ms;
}

std::optional<std::chrono::milliseconds> readDuration(const YAML::Node& node,
                                                      const std::string& path, ParseContext& ctx) {
  auto text = readString(node, path, ctx);
  if (!text) return std::nullopt;
  if (auto ms = parseBudgetDuration(*text)) return std::chrono::milliseconds(*ms);
  if (text->empty() || text->find_first_not_of("0123456789.") != std::string::npos) {
    ctx.error(path,
              "must be a duration such as \"7d\", \"24h\", \"15m\", \"30s\" or \"1mo\", or a "
              "number of seconds, not '" +
                  *text + "'");
    return std::nullopt;
  }
  return readSeconds(node, path, ctx);
}

std::optional<Url> readUrl(const YAML::Node& node, const std::string& path, ParseContext& ctx,
                           UnsetEnv unset) {
  auto text = readString(node, path, ctx, unset);
  if (!text) return std::nullopt;
  auto url = parseUrl(trim(*text));
  if (!url) {
    ctx.error(path, url.error().message);
    return std::nullopt;
  }
  return *url;
}

std::optional<std::map<std::string, std::string>> readStringMap(const YAML::Node& node,
                                                                const std::string& path,
                                                                ParseContext& ctx) {
  if (isNull(node)) return std::nullopt;
  if (!node.IsMap()) {
    ctx.error(path, std::string("expected a mapping, found ") + kindName(node));
    return std::nullopt;
  }
  std::map<std::string, std::string> out;
  for (auto& [key, value] : mapEntries(node, path, ctx)) {
    if (auto text = readString(value, childPath(path, key), ctx)) out[key] = *text;
  }
  return out;
}

boost::json::value toJson(const YAML::Node& node, const std::string& path, ParseContext& ctx) {
  if (!node.IsDefined() || node.IsNull()) return nullptr;
  if (node.IsSequence()) {
    boost::json::array array;
    for (size_t i = 0; i < node.size(); ++i) {
      array.push_back(toJson(node[i], indexPath(path, i), ctx));
    }
    return array;
  }
  if (node.IsMap()) {
    boost::json::object object;
    for (auto& [key, value] : mapEntries(node, path, ctx)) {
      object[key] = toJson(value, childPath(path, key), ctx);
    }
    return object;
  }
  Scalar s = classify(node);
  switch (s.kind) {
    case Scalar::Kind::kNull:
      return nullptr;
    case Scalar::Kind::kBool:
      return s.boolean;
    case Scalar::Kind::kInt:
      return s.integer;
    case Scalar::Kind::kFloat:
      return s.number;
    case Scalar::Kind::kString:
      break;
  }
  if (auto text = resolveEnv(s.text, path, ctx, UnsetEnv::kWarning))
    return boost::json::value(*text);
  return nullptr;
}

}  // namespace switchyard::config_detail
