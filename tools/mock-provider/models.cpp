#include "tools/mock-provider/models.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <array>

namespace switchyard::mock {
namespace json = boost::json;

namespace {

constexpr int64_t kCreated = 1715367049;
constexpr std::array<std::string_view, 6> kModels = {"gpt-4o",
                                                     "gpt-4o-mini",
                                                     "gpt-4.1-nano",
                                                     "gpt-3.5-turbo-instruct",
                                                     "text-embedding-3-small",
                                                     "text-embedding-3-large"};

json::object model(std::string_view id) {
  return json::object{
      {"id", id}, {"object", "model"}, {"created", kCreated}, {"owned_by", "system"}};
}

}  // namespace

Reply modelList() {
  json::array data;
  for (auto id : kModels) data.push_back(model(id));
  return Reply{200, json::serialize(json::object{{"object", "list"}, {"data", std::move(data)}}),
               0};
}

Reply modelObject(std::string_view id) { return Reply{200, json::serialize(model(id)), 0}; }

}  // namespace switchyard::mock
