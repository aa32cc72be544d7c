// GET /v1/models and /v1/models/{id}: OpenAI's list and model objects.
#pragma once

#include "tools/mock-provider/openai_format.hpp"

#include <string_view>

namespace switchyard::mock {

Reply modelList();
// Any id is answered, since the mock serves whatever model it is asked for.
Reply modelObject(std::string_view id);

}  // namespace switchyard::mock
