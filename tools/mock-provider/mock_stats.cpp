#include "tools/mock-provider/mock_stats.hpp"

#include <boost/json/parse.hpp>

namespace switchyard::mock {

void MockStats::record(LastRequest request, std::string_view model) {
  std::lock_guard lock(mutex_);
  last_ = std::move(request);
  if (!model.empty()) {
    auto& n = models_[model];
    n = n.is_int64() ? n.get_int64() + 1 : 1;
  }
}

std::optional<MockStats::LastRequest> MockStats::lastRequest() const {
  std::lock_guard lock(mutex_);
  return last_;
}

void MockStats::reset() {
  requests = 0;
  completedStreams = 0;
  abortedStreams = 0;
  disconnectedStreams = 0;
  abandonedRequests = 0;
  stalledRequests = 0;
  std::lock_guard lock(mutex_);
  last_.reset();
  models_.clear();
}

void MockStats::setFaults(boost::json::object faults) {
  std::lock_guard lock(mutex_);
  faults_ = std::move(faults);
}

boost::json::object MockStats::faults() const {
  std::lock_guard lock(mutex_);
  return faults_;
}

boost::json::object MockStats::toJson() const {
  boost::json::object out{{"requests", requests.load()},
                          {"open_connections", openConnections.load()},
                          {"completed_streams", completedStreams.load()},
                          {"aborted_streams", abortedStreams.load()},
                          {"disconnected_streams", disconnectedStreams.load()},
                          {"abandoned_requests", abandonedRequests.load()},
                          {"stalled_requests", stalledRequests.load()}};
  {
    std::lock_guard lock(mutex_);
    out["models"] = models_;
  }
  auto last = lastRequest();
  if (!last) {
    out["last_request"] = nullptr;
    return out;
  }
  boost::json::object headers;
  for (auto& [name, value] : last->headers) {
    // Repeated headers are joined the way HTTP allows.
    auto [it, inserted] = headers.emplace(name, value);
    if (!inserted) {
      std::string joined(it->value().get_string());
      joined.append(", ").append(value);
      it->value() = joined;
    }
  }
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(last->body, ec);
  if (ec) body = last->body;
  out["last_request"] = boost::json::object{{"method", last->method},
                                            {"target", last->target},
                                            {"headers", std::move(headers)},
                                            {"body", std::move(body)}};
  if (!last->form.empty()) {
    out["last_request"].get_object()["form"] = boost::json::parse(last->form, ec);
  }
  return out;
}

}  // namespace switchyard::mock
