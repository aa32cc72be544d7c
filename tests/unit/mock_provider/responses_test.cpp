// The mock's Responses API (POST /v1/responses, Azure's /openai/responses): the recorded event
// sequence of a text answer and of a function call, usage with the recorded keys, a JSON answer
// for text.format json_schema, and a text answer once the input ends with a function's output.

#include <boost/json.hpp>

#include "mock_test_support.hpp"
#include "support/fixtures.hpp"

namespace switchyard::mock::testing {
namespace {

std::vector<json::object> events(const HttpResult& res) {
  std::vector<json::object> out;
  // Each event is "event: <type>\ndata: <json>\n\n".
  for (size_t at = 0; at < res.body.size();) {
    size_t end = res.body.find("\n\n", at);
    if (end == std::string::npos) end = res.body.size();
    const std::string block = res.body.substr(at, end - at);
    at = end + 2;
    const size_t data = block.find("data: ");
    EXPECT_NE(data, std::string::npos) << block;
    if (data != std::string::npos) out.push_back(parseJson(block.substr(data + 6)).as_object());
  }
  return out;
}

// Event types in order, consecutive deltas of one type counted once.
std::vector<std::string> typeSequence(const std::vector<json::object>& evs) {
  std::vector<std::string> types;
  for (const auto& e : evs) {
    std::string t(e.at("type").as_string());
    if (!types.empty() && types.back() == t && t.ends_with(".delta")) continue;
    types.push_back(std::move(t));
  }
  return types;
}

std::set<std::string> keys(const json::value& v) {
  std::set<std::string> k;
  for (const auto& [key, value] : v.as_object()) k.insert(std::string(key));
  return k;
}

TEST(MockProviderResponses, TextStreamFollowsTheRecordedSequence) {
  RunningMock mock;
  const auto res =
      post(mock.port(), "/v1/responses", R"({"model":"gpt-x","input":"hi","stream":true})");
  ASSERT_EQ(res.status, 200u);
  const auto evs = events(res);
  std::vector<json::object> recorded;
  for (const auto& l :
       switchyard::testing::readChunks("openai-responses/azure-text.1.chunks.txt")) {
    recorded.push_back(json::parse(l).as_object());
  }
  EXPECT_EQ(typeSequence(evs), typeSequence(recorded));
  for (size_t i = 0; i < evs.size(); ++i) EXPECT_EQ(evs[i].at("sequence_number"), i);
  // The event: line names each event.
  EXPECT_EQ(res.body.rfind("event: response.created\ndata: ", 0), 0u);
  const auto& done = evs.back().at("response");
  EXPECT_EQ(keys(done.at("usage")), keys(recorded.back().at("response").at("usage")));
  std::string text;
  for (const auto& e : evs) {
    if (e.at("type") == "response.output_text.delta") text += e.at("delta").as_string();
  }
  EXPECT_EQ(done.at("output").at(0).at("content").at(0).at("text"), json::value(text));
  EXPECT_EQ(done.at("status"), "completed");
}

TEST(MockProviderResponses, WholeAnswerAndAzurePath) {
  RunningMock mock;
  const auto res = post(mock.port(), "/openai/responses?api-version=2025-04-01-preview",
                        R"({"model":"dep","input":[{"role":"user","content":"hi"}]})");
  ASSERT_EQ(res.status, 200u);
  const auto r = parseJson(res.body);
  const auto recorded = switchyard::testing::readFixture("openai-responses/azure-tool-call.1.json");
  EXPECT_EQ(keys(r.at("usage")), keys(json::parse(recorded).at("usage")));
  EXPECT_EQ(r.at("object"), "response");
  EXPECT_EQ(r.at("output").at(0).at("type"), "message");
  EXPECT_GT(r.at("usage").at("output_tokens").as_int64(), 0);
}

TEST(MockProviderResponses, FunctionCallJsonSchemaAndToolOutput) {
  RunningMock mock;
  const std::string tool =
      R"("tools":[{"type":"function","name":"get_weather","parameters":{"type":"object",)"
      R"("properties":{"city":{"type":"string"}},"required":["city"]}}])";
  auto call = parseJson(
      post(mock.port(), "/v1/responses", R"({"model":"m","input":"weather?",)" + tool + "}").body);
  const auto& item = call.at("output").at(0);
  EXPECT_EQ(item.at("type"), "function_call");
  EXPECT_EQ(item.at("name"), "get_weather");
  EXPECT_EQ(json::parse(item.at("arguments").as_string()), json::parse(R"({"city":"mock"})"));

  const auto stream =
      events(post(mock.port(), "/v1/responses",
                  R"({"model":"m","input":"weather?","stream":true,)" + tool + "}"));
  EXPECT_EQ(typeSequence(stream),
            (std::vector<std::string>{
                "response.created", "response.in_progress", "response.output_item.added",
                "response.function_call_arguments.delta", "response.function_call_arguments.done",
                "response.output_item.done", "response.completed"}));

  auto after = parseJson(
      post(
          mock.port(), "/v1/responses",
          R"({"model":"m","input":[{"type":"function_call_output","call_id":"c","output":"sunny"}],)" +
              tool + "}")
          .body);
  EXPECT_EQ(after.at("output").at(0).at("type"), "message");

  auto schema = parseJson(
      post(
          mock.port(), "/v1/responses",
          R"({"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"a",)"
          R"("schema":{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}}}})")
          .body);
  const auto text = schema.at("output").at(0).at("content").at(0).at("text").as_string();
  EXPECT_EQ(json::parse(text), json::parse(R"({"n":1})"));
}

TEST(MockProviderResponses, MissingInputIsAnOpenAiError) {
  RunningMock mock;
  const auto res = post(mock.port(), "/v1/responses", R"({"model":"m"})");
  EXPECT_EQ(res.status, 400u);
  EXPECT_EQ(parseJson(res.body).at("error").at("param"), "input");
}

}  // namespace
}  // namespace switchyard::mock::testing
