#include "api/request.hpp"

namespace switchyard {

std::string_view endpointPath(Endpoint e) {
  switch (e) {
    case Endpoint::kChatCompletions:
      return "/chat/completions";
    case Endpoint::kCompletions:
      return "/completions";
    case Endpoint::kEmbeddings:
      return "/embeddings";
  }
  return "/chat/completions";
}

}  // namespace switchyard
