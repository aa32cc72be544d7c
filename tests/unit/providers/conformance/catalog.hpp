#pragma once
// The recorded fixtures the conformance suite replays: every file of every provider folder
// under tests/fixtures, with the adapter that decodes it, the request it answers and the bytes
// the provider sends.

#include <ostream>
#include <string>
#include <vector>

#include "providers/conformance/decode.hpp"
#include "providers/registry.hpp"

namespace switchyard::conformance {

enum class Kind {
  kWhole,      // *.json: a 2xx body
  kErrorBody,  // *.json the catalog knows as an error answer, with its status
  kStream,     // *.chunks.txt: one event payload per line
  kRawSse,     // *.sse: the SSE bytes as received
};

struct Fixture {
  std::string folder;  // "anthropic"
  std::string file;    // "anthropic-text.json"
  WireFormat format = WireFormat::kOpenAi;
  Kind kind = Kind::kWhole;
  RequestShape request;
  int status = 200;
  bool complete = true;  // false: the recording stops before the provider's final event

  std::string path() const { return folder + "/" + file; }
  // The recorded exchange's name: the file name without .json / .chunks.txt / .sse.
  std::string exchange() const;
  // A GoogleTest-safe name that is unique across folders and adapters.
  std::string testName() const;
  // The body (kWhole, kErrorBody) or the streamed bytes (kStream, kRawSse) the provider sends.
  std::string upstreamBytes() const;
};

// Every fixture, sorted, except files that are not answers a provider decoder takes.
std::vector<Fixture> allFixtures();

// Exchanges recorded both whole and streamed in one folder, for one adapter.
// Pairs whose recordings are of different requests are left out.
struct FixturePair {
  Fixture whole;
  Fixture stream;
};
std::vector<FixturePair> wholeAndStreamPairs();

// GoogleTest prints parameters with these.
void PrintTo(const Fixture& f, std::ostream* os);
void PrintTo(const FixturePair& p, std::ostream* os);

// Catalog entries naming files that do not exist (a renamed or removed fixture).
std::vector<std::string> staleCatalogEntries();

}  // namespace switchyard::conformance
