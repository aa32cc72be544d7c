#pragma once
// Reads recorded wire fixtures from tests/fixtures.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace switchyard::testing {

inline std::string fixturePath(const std::string& relative) {
  return std::string(SWITCHYARD_SOURCE_DIR) + "/tests/fixtures/" + relative;
}

inline std::string readFixture(const std::string& relative) {
  std::ifstream in(fixturePath(relative), std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A *.chunks.txt file: one event payload per line.
inline std::vector<std::string> readChunks(const std::string& relative) {
  std::vector<std::string> lines;
  std::istringstream in(readFixture(relative));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

}  // namespace switchyard::testing
