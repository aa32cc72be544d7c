#include "telemetry/prometheus_writer.hpp"

#include <charconv>
#include <cmath>

namespace switchyard {

void appendEscapedLabelValue(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out.append("\\\\");
    } else if (c == '"') {
      out.append("\\\"");
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out.push_back(c);
    }
  }
}

void PrometheusWriter::family(std::string_view name, Type type, std::string_view help) {
  out_.append("# HELP ").append(name).append(" ");
  // HELP text escapes only backslash and line feed.
  for (char c : help) {
    if (c == '\\') {
      out_.append("\\\\");
    } else if (c == '\n') {
      out_.append("\\n");
    } else {
      out_.push_back(c);
    }
  }
  out_.append("\n# TYPE ").append(name);
  switch (type) {
    case Type::kCounter:
      out_.append(" counter\n");
      break;
    case Type::kGauge:
      out_.append(" gauge\n");
      break;
    case Type::kHistogram:
      out_.append(" histogram\n");
      break;
  }
}

void PrometheusWriter::labels(std::initializer_list<MetricLabel> list, const MetricLabel* extra) {
  if (list.size() == 0 && extra == nullptr) return;
  out_.push_back('{');
  bool first = true;
  auto one = [&](const MetricLabel& l) {
    if (!first) out_.push_back(',');
    first = false;
    out_.append(l.name).append("=\"");
    appendEscapedLabelValue(out_, l.value);
    out_.push_back('"');
  };
  for (const auto& l : list) one(l);
  if (extra != nullptr) one(*extra);
  out_.push_back('}');
}

void PrometheusWriter::value(uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, end);
}

void PrometheusWriter::value(double v) {
  if (std::isnan(v)) {
    out_.append("NaN");
    return;
  }
  if (std::isinf(v)) {
    out_.append(v > 0 ? "+Inf" : "-Inf");
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, end);
}

void PrometheusWriter::sample(std::string_view name, std::initializer_list<MetricLabel> list,
                              uint64_t v) {
  out_.append(name);
  labels(list);
  out_.push_back(' ');
  value(v);
  out_.push_back('\n');
}

void PrometheusWriter::sample(std::string_view name, std::initializer_list<MetricLabel> list,
                              int64_t v) {
  out_.append(name);
  labels(list);
  out_.push_back(' ');
  if (v < 0) {
    out_.push_back('-');
    value(uint64_t(0) - uint64_t(v));
  } else {
    value(uint64_t(v));
  }
  out_.push_back('\n');
}

void PrometheusWriter::sample(std::string_view name, std::initializer_list<MetricLabel> list,
                              double v) {
  out_.append(name);
  labels(list);
  out_.push_back(' ');
  value(v);
  out_.push_back('\n');
}

void PrometheusWriter::histogram(std::string_view name, std::initializer_list<MetricLabel> list,
                                 const HistogramTotals& h) {
  const std::string bucket = std::string(name) + "_bucket";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < h.buckets.size(); ++i) {
    cumulative += h.buckets[i];
    char le[32] = "+Inf";
    size_t leLen = 4;
    if (i < h.boundsUs.size()) {
      auto [end, ec] =
          std::to_chars(le, le + sizeof le, double(h.boundsUs[i]) / 1e6, std::chars_format::fixed);
      leLen = size_t(end - le);
    }
    const MetricLabel leLabel{"le", std::string_view(le, leLen)};
    out_.append(bucket);
    labels(list, &leLabel);
    out_.push_back(' ');
    value(cumulative);
    out_.push_back('\n');
  }
  out_.append(name).append("_sum");
  labels(list);
  out_.push_back(' ');
  value(double(h.sumUs) / 1e6);
  out_.push_back('\n');
  out_.append(name).append("_count");
  labels(list);
  out_.push_back(' ');
  value(cumulative);
  out_.push_back('\n');
}

}  // namespace switchyard
