#pragma once
// Names of JSON value kinds for validation messages ("expected a string, but got an integer").

#include <boost/json/kind.hpp>
#include <boost/json/value.hpp>
#include <string_view>

namespace switchyard {

std::string_view jsonKindName(boost::json::kind k);
inline std::string_view jsonKindName(const boost::json::value& v) { return jsonKindName(v.kind()); }

}  // namespace switchyard
