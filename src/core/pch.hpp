// Precompiled header: the heavy, stable library headers most translation units include.
#pragma once
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>
