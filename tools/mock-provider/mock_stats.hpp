// Counters of one mock provider (shared by its workers), shown by GET /mock/stats so that
// integration tests can check what the gateway sent upstream and whether it cancelled streams.
#pragma once

#include <boost/json/object.hpp>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchyard::mock {

class MockStats {
 public:
  struct LastRequest {
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;  // lowercase names
    std::string body;
    std::string form;  // a multipart body's fields as JSON (mock_form.hpp); empty otherwise
  };

  std::atomic<uint64_t> requests{0};  // API requests (not /mock/*)
  std::atomic<int64_t> openConnections{0};
  std::atomic<uint64_t> completedStreams{0};
  std::atomic<uint64_t> abortedStreams{0};       // the client went away mid-stream
  std::atomic<uint64_t> disconnectedStreams{0};  // the mock cut it (disconnect_after)
  std::atomic<uint64_t> abandonedRequests{0};    // the client hung up before the answer began
  std::atomic<uint64_t> stalledRequests{0};      // delayed by --stall-rate

  // `model`: the body's model, counted in `models` (empty: none).
  void record(LastRequest request, std::string_view model = {});
  std::optional<LastRequest> lastRequest() const;
  // Zeroes the counters and forgets the last request; open_connections is a gauge and stays.
  void reset();
  // {requests, open_connections, completed_streams, aborted_streams, disconnected_streams,
  //  abandoned_requests, stalled_requests, models: {model: requests}, last_request: {method,
  //  target, headers, body: parsed JSON or string, form: a multipart body's fields (absent for
  //  others)} | null}
  boost::json::object toJson() const;

  // Fault knobs set at run time (POST /mock/faults), so a test can make a running upstream fail
  // and then recover: the same fields as the per-request "mock" object, plus error_rate and
  // error_status. An empty object clears them; reset() leaves them alone.
  void setFaults(boost::json::object faults);
  boost::json::object faults() const;

 private:
  mutable std::mutex mutex_;
  std::optional<LastRequest> last_;
  boost::json::object models_;  // model → requests, so tests see which deployment was called
  boost::json::object faults_;
};

}  // namespace switchyard::mock
