#include "providers/conformance/catalog.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include "providers/anthropic/anthropic_common.hpp"
#include "support/bedrock_fixtures.hpp"
#include "support/fixtures.hpp"

namespace switchyard::conformance {
namespace {

namespace fs = std::filesystem;

// Provider folders (named as in the Vercel AI SDK's packages) and the adapters that decode
// them. Google's generateContent answers are the same for AI Studio and Vertex AI.
const std::vector<std::pair<std::string, WireFormat>> kFolders = {
    {"amazon-bedrock", WireFormat::kBedrock},
    {"anthropic", WireFormat::kAnthropic},
    {"azure", WireFormat::kAzure},
    {"cohere", WireFormat::kCohere},
    {"deepseek", WireFormat::kOpenAi},
    {"google", WireFormat::kGemini},
    {"google", WireFormat::kVertex},
    {"google-vertex", WireFormat::kVertex},
    {"groq", WireFormat::kOpenAi},
    {"mistral", WireFormat::kOpenAi},
    {"openai", WireFormat::kOpenAi},
    {"openai-compatible", WireFormat::kOpenAi},
};

// Files in those folders that are no answer a provider decoder takes, and why.
const std::map<std::string, std::string> kNotAnswers = {
    {"openai-compatible/azure-tool-call.1.json",
     "a Responses API object: no provider decodes the Responses format"},
};

// Error answers and the status they came with (the recordings keep only the body).
const std::map<std::string, int> kErrorStatus = {
    {"google/google-429-retry-info.json", 429},
    {"google/google-context-window-error.json", 400},
    {"google/google-invalid-key-error.json", 400},
    {"openai/gpt-image-response-format-error.json", 400},
    {"openai/openai-error.1.json", 429},
    {"openai/reasoning-model-legacy-parameter-error.json", 400},
    {"openai-compatible/reasoning-model-temperature-error.json", 400},
};

// Stream recordings that stop early, and what they lack.
const std::map<std::string, std::string> kEndsEarly = {
    {"amazon-bedrock/amazon-bedrock-json-tool.2.chunks.txt", "ConverseStream's metadata event"},
    {"amazon-bedrock/amazon-bedrock-json-tool.3.chunks.txt", "ConverseStream's metadata event"},
    {"amazon-bedrock/amazon-bedrock-json-with-tool.1.chunks.txt",
     "ConverseStream's metadata event"},
    {"amazon-bedrock/amazon-bedrock-json-with-tools.1.chunks.txt",
     "ConverseStream's metadata event"},
};

// Exchanges whose whole and streamed recordings answer different requests.
const std::map<std::string, std::string> kSeparateExchanges = {
    {"amazon-bedrock/amazon-bedrock-tool-call.1",
     "the whole answer calls bash, the stream test-tool"},
    {"anthropic/anthropic-programmatic-tool-calling.1",
     "the stream holds the 15 messages of a multi-step run, the whole body only the last"},
};

// Answers to other endpoints than chat completions.
const std::map<std::string, Endpoint> kEndpoints = {
    {"cohere/cohere-embedding.json", Endpoint::kEmbeddings},
    {"google-vertex/google-vertex-embedding.json", Endpoint::kEmbeddings},
    {"openai/openai-embedding.json", Endpoint::kEmbeddings},
    {"openai/openai-completion-text.json", Endpoint::kCompletions},
    {"openai/openai-completion-text.chunks.txt", Endpoint::kCompletions},
};

// Anthropic answers to a request with response_format: the Vercel AI SDK named its JSON tool
// `json`, the gateway names it kJsonToolName, so the recorded name is replaced.
const std::vector<std::string> kAnthropicJsonTool = {
    "anthropic/anthropic-json-tool.1.json",
    "anthropic/anthropic-json-tool.1.chunks.txt",
    "anthropic/anthropic-json-tool.2.chunks.txt",
};

constexpr std::string_view kChunks = ".chunks.txt";

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string withGatewayJsonTool(const std::string& text) {
  static const std::regex kRecordedName(R"re("name":\s*"json")re");
  return std::regex_replace(text, kRecordedName,
                            "\"name\":\"" + std::string(anthropic::kJsonToolName) + "\"");
}

// SSE providers' recorded payloads, framed as those providers send them.
std::string sseFrames(WireFormat format, const std::vector<std::string>& lines) {
  std::string wire;
  for (const auto& line : lines) {
    // Anthropic and Cohere name each event after its payload's type.
    if (format == WireFormat::kAnthropic || format == WireFormat::kCohere) {
      const auto v = boost::json::parse(line);
      wire += "event: " + std::string(v.as_object().at("type").as_string()) + "\n";
    }
    wire += "data: " + line + "\n\n";
  }
  // OpenAI-format hosts end with [DONE], which the recordings leave out.
  if (format == WireFormat::kOpenAi || format == WireFormat::kAzure) wire += "data: [DONE]\n\n";
  return wire;
}

}  // namespace

std::string Fixture::exchange() const {
  for (std::string_view suffix : {kChunks, std::string_view(".json"), std::string_view(".sse")}) {
    if (endsWith(file, suffix)) return file.substr(0, file.size() - suffix.size());
  }
  return file;
}

std::string Fixture::testName() const {
  std::string name = folder + "_" + std::string(wireFormatName(format)) + "_" + file;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
  return name;
}

std::string Fixture::upstreamBytes() const {
  std::string text = testing::readFixture(path());
  if (request.jsonMode) text = withGatewayJsonTool(text);
  // The stored SSE text lost its final blank line, which ends the last event.
  if (kind == Kind::kRawSse && !endsWith(text, "\n\n")) text += "\n";
  if (kind != Kind::kStream) return text;
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  if (format == WireFormat::kBedrock) return testing::encodeBedrockEvents(lines);
  return sseFrames(format, lines);
}

std::vector<Fixture> allFixtures() {
  std::vector<Fixture> out;
  for (const auto& [folder, format] : kFolders) {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(testing::fixturePath(folder))) {
      if (entry.is_regular_file()) files.push_back(entry.path().filename().string());
    }
    std::sort(files.begin(), files.end());
    for (auto& file : files) {
      Fixture f;
      f.folder = folder;
      f.file = std::move(file);
      f.format = format;
      const std::string path = f.path();
      if (kNotAnswers.contains(path)) continue;
      if (endsWith(f.file, kChunks)) {
        f.kind = Kind::kStream;
        f.complete = !kEndsEarly.contains(path);
      } else if (endsWith(f.file, ".sse")) {
        f.kind = Kind::kRawSse;
      } else if (const auto status = kErrorStatus.find(path); status != kErrorStatus.end()) {
        f.kind = Kind::kErrorBody;
        f.status = status->second;
      }
      if (const auto e = kEndpoints.find(path); e != kEndpoints.end()) {
        f.request.endpoint = e->second;
      }
      f.request.jsonMode = std::find(kAnthropicJsonTool.begin(), kAnthropicJsonTool.end(), path) !=
                           kAnthropicJsonTool.end();
      out.push_back(std::move(f));
    }
  }
  return out;
}

std::vector<FixturePair> wholeAndStreamPairs() {
  std::vector<FixturePair> pairs;
  const auto fixtures = allFixtures();
  for (const auto& whole : fixtures) {
    if (whole.kind != Kind::kWhole ||
        kSeparateExchanges.contains(whole.folder + "/" + whole.exchange())) {
      continue;
    }
    for (const auto& stream : fixtures) {
      if (stream.kind == Kind::kStream && stream.folder == whole.folder &&
          stream.format == whole.format && stream.exchange() == whole.exchange()) {
        pairs.push_back({whole, stream});
      }
    }
  }
  return pairs;
}

void PrintTo(const Fixture& f, std::ostream* os) {
  *os << f.path() << " through " << wireFormatName(f.format);
}

void PrintTo(const FixturePair& p, std::ostream* os) {
  *os << p.whole.path() << " and " << p.stream.file << " through "
      << wireFormatName(p.whole.format);
}

std::vector<std::string> staleCatalogEntries() {
  std::vector<std::string> paths;
  for (const auto& [path, reason] : kNotAnswers) paths.push_back(path);
  for (const auto& [path, status] : kErrorStatus) paths.push_back(path);
  for (const auto& [path, endpoint] : kEndpoints) paths.push_back(path);
  for (const auto& [path, lacks] : kEndsEarly) paths.push_back(path);
  for (const auto& [exchange, why] : kSeparateExchanges) paths.push_back(exchange + ".json");
  paths.insert(paths.end(), kAnthropicJsonTool.begin(), kAnthropicJsonTool.end());
  std::erase_if(paths, [](const std::string& p) { return fs::exists(testing::fixturePath(p)); });
  return paths;
}

}  // namespace switchyard::conformance
