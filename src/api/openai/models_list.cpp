#include "api/openai/models_list.hpp"

#include <boost/json.hpp>

namespace switchyard {

std::string modelsListJson(const Snapshot& snapshot) {
  boost::json::array data;
  for (const auto& name : snapshot.modelNames()) {
    data.push_back(boost::json::object{
        {"id", name}, {"object", "model"}, {"created", 1677610602}, {"owned_by", "switchyard"}});
  }
  return boost::json::serialize(boost::json::object{{"object", "list"}, {"data", std::move(data)}});
}

}  // namespace switchyard
