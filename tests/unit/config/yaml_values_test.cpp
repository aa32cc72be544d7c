// Scalars resolve as LiteLLM's PyYAML reads them, and YAML converts to JSON faithfully.

#include "config/yaml_values.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "config_test_util.hpp"

namespace switchyard::config_detail {
namespace {

using Kind = Scalar::Kind;

Scalar classifyYaml(const std::string& text) { return classify(YAML::Load(text)); }

TEST(YamlValues, ClassifiesLikePyYaml) {
  EXPECT_EQ(classifyYaml("true").kind, Kind::kBool);
  EXPECT_TRUE(classifyYaml("yes").boolean);
  EXPECT_TRUE(classifyYaml("On").boolean);
  EXPECT_FALSE(classifyYaml("off").boolean);
  EXPECT_EQ(classifyYaml("False").kind, Kind::kBool);
  EXPECT_EQ(classifyYaml("~").kind, Kind::kNull);
  EXPECT_EQ(classifyYaml("null").kind, Kind::kNull);
  EXPECT_EQ(classifyYaml("42").integer, 42);
  EXPECT_EQ(classifyYaml("-7").integer, -7);
  EXPECT_EQ(classifyYaml("1_000").integer, 1000);
  EXPECT_EQ(classifyYaml("0x1F").integer, 31);
  EXPECT_EQ(classifyYaml("010").integer, 8);  // YAML 1.1 octal
  EXPECT_EQ(classifyYaml("1.5").kind, Kind::kFloat);
  EXPECT_DOUBLE_EQ(classifyYaml("2.5e-3").number, 0.0025);
  EXPECT_DOUBLE_EQ(classifyYaml(".5").number, 0.5);
  EXPECT_TRUE(std::isinf(classifyYaml("-.inf").number));
  EXPECT_EQ(classifyYaml("2024-06-01").kind, Kind::kString);
  EXPECT_EQ(classifyYaml("gpt-4o").kind, Kind::kString);
  EXPECT_EQ(classifyYaml("'42'").kind, Kind::kString);  // quoted stays a string
  EXPECT_EQ(classifyYaml("\"true\"").kind, Kind::kString);
  EXPECT_EQ(classifyYaml("!!str 5").kind, Kind::kString);
  EXPECT_EQ(classifyYaml("99999999999999999999").kind, Kind::kFloat);  // beyond int64
}

TEST(YamlValues, ToJsonConvertsEveryKind) {
  std::vector<ConfigDiagnostic> diags;
  Environment env = testing::mapEnvironment({{"REGION", "eu-west"}});
  ParseContext ctx(env, diags);
  auto node = YAML::Load(R"yaml(
int: 3
neg: -4
float: 0.25
yes_bool: yes
bool: false
none: ~
empty:
quoted: "12"
text: hello
env: os.environ/REGION
unset: os.environ/NOPE
list: [1, two, {three: 3}]
)yaml");
  auto v = toJson(node, "model_info", ctx);
  EXPECT_EQ(boost::json::serialize(v),
            R"({"int":3,"neg":-4,"float":2.5E-1,"yes_bool":true,"bool":false,"none":null,)"
            R"("empty":null,"quoted":"12","text":"hello","env":"eu-west","unset":null,)"
            R"("list":[1,"two",{"three":3}]})");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].severity, ConfigDiagnostic::Severity::kWarning);
  EXPECT_EQ(diags[0].path, "model_info.unset");
}

TEST(YamlValues, ReadSecondsAcceptsNumbersAndNumericStrings) {
  std::vector<ConfigDiagnostic> diags;
  Environment env = testing::mapEnvironment({{"T", "2.5"}});
  ParseContext ctx(env, diags);
  using std::chrono::milliseconds;
  EXPECT_EQ(readSeconds(YAML::Load("30"), "t", ctx), milliseconds(30000));
  EXPECT_EQ(readSeconds(YAML::Load("'0.1'"), "t", ctx), milliseconds(100));
  EXPECT_EQ(readSeconds(YAML::Load("os.environ/T"), "t", ctx), milliseconds(2500));
  EXPECT_EQ(readSeconds(YAML::Load("~"), "t", ctx), std::nullopt);
  EXPECT_TRUE(diags.empty());
  EXPECT_EQ(readSeconds(YAML::Load("1e12"), "t", ctx), std::nullopt);  // beyond a year
  EXPECT_EQ(readSeconds(YAML::Load("true"), "t", ctx), std::nullopt);
  EXPECT_EQ(diags.size(), 2u);
}

TEST(YamlValues, PathsCompose) {
  EXPECT_EQ(childPath("", "model_list"), "model_list");
  EXPECT_EQ(childPath(indexPath("model_list", 2), "litellm_params"),
            "model_list[2].litellm_params");
}

}  // namespace
}  // namespace switchyard::config_detail
