#pragma once
// GET /v1/models: the public model names of a snapshot in OpenAI's list format.

#include <string>

#include "config/snapshot.hpp"

namespace switchyard {

std::string modelsListJson(const Snapshot& snapshot);

}  // namespace switchyard
