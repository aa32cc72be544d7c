#include "api/openai/responses_encoders.hpp"

#include <boost/json/serialize.hpp>

namespace switchyard {

Result<std::string> ResponsesAnswerEncoder::body() {
  if (!assembler_.ended()) {
    return Error::make(ErrorClass::kBadUpstream, "The upstream's answer did not end.", {},
                       "bad_upstream_response");
  }
  return boost::json::serialize(assembler_.response());
}

}  // namespace switchyard
