#pragma once
// The media and ranking endpoints (forwardsAnswer) for every upstream that serves them in the
// client's own shape (OpenAI and its compatible hosts, Azure, Cohere's rerank): the request is
// the client's bytes with the model's value replaced, the answer is forwarded as it came, and
// only the units it is priced in are read from it.

#include <string>
#include <string_view>

#include "api/request.hpp"
#include "core/error.hpp"

namespace switchyard::common {

// The client's body with `upstreamModel` as the model: spliced into its text (a form field's
// value, or a JSON string) when it has one, the tree re-encoded otherwise. A form's model may
// hold no line break, which would end the part.
Result<std::string> forwardedBody(ApiRequest& req, std::string_view upstreamModel);

// The units of a 2xx answer (`body`, in the upstream's content type) into `usage`: images made,
// seconds transcribed, search units, tokens where the upstream reports them; what the answer
// does not say is taken from the request (RequestUnits).
void readForwardedUsage(const ApiRequest& req, std::string_view body, Usage& usage);

}  // namespace switchyard::common
