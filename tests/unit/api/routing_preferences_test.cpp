#include "api/routing_preferences.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace switchyard {
namespace {

boost::json::object body(std::string_view text) { return boost::json::parse(text).as_object(); }

TEST(RoutePreferences, TakesModelsAndProviderOutOfTheBody) {
  auto b = body(R"({"model":"a","models":["a","b"],"messages":[],
    "provider":{"order":["azure","openai"],"only":["azure","openai","groq"],"ignore":["groq"],
                "allow_fallbacks":false,"sort":"price","max_price":{"prompt":1.5,"completion":3},
                "data_collection":"deny"}})");
  auto p = takeRoutePreferences(b);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->any);
  EXPECT_EQ(p->models, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(p->provider.order, (std::vector<std::string>{"azure", "openai"}));
  EXPECT_EQ(p->provider.only.size(), 3u);
  EXPECT_EQ(p->provider.ignore, (std::vector<std::string>{"groq"}));
  EXPECT_FALSE(p->provider.allowFallbacks);
  EXPECT_EQ(p->provider.sort, RoutingStrategy::kCostBased);
  EXPECT_DOUBLE_EQ(*p->provider.maxPromptPrice, 1.5);
  EXPECT_DOUBLE_EQ(*p->provider.maxCompletionPrice, 3.0);
  EXPECT_FALSE(b.contains("models"));
  EXPECT_FALSE(b.contains("provider"));
  EXPECT_TRUE(b.contains("messages"));
}

TEST(RoutePreferences, AbsentOrNullMeansNothing) {
  auto b = body(R"({"model":"a","provider":null})");
  auto p = takeRoutePreferences(b);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->models.empty());
  EXPECT_TRUE(p->provider.allowFallbacks);
  auto plain = body(R"({"model":"a"})");
  auto q = takeRoutePreferences(plain);
  ASSERT_TRUE(q);
  EXPECT_FALSE(q->any);
}

TEST(RoutePreferences, ARequestLosesItsRawTextOnlyWhenTheFieldsWereThere) {
  const std::string_view with = R"({"model":"a","models":["a","b"]})";
  ApiRequest edited;
  edited.editBody() = body(with);
  edited.rawBody = with;
  ASSERT_TRUE(takeRoutePreferences(edited));
  EXPECT_TRUE(edited.rawBody.empty());  // the upstream must not see `models`

  const std::string_view without = R"({"model":"a"})";
  ApiRequest untouched;
  untouched.editBody() = body(without);
  untouched.rawBody = without;
  ASSERT_TRUE(takeRoutePreferences(untouched));
  EXPECT_EQ(untouched.rawBody, without);
}

TEST(RoutePreferences, WrongTypesAre400NamingTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"models":"a"})", "models"},
      {R"({"models":[1]})", "models"},
      {R"({"provider":[]})", "provider"},
      {R"({"provider":{"order":"azure"}})", "provider.order"},
      {R"({"provider":{"allow_fallbacks":"no"}})", "provider.allow_fallbacks"},
      {R"({"provider":{"sort":"fastest"}})", "provider.sort"},
      {R"({"provider":{"max_price":{"prompt":-1}}})", "provider.max_price.prompt"},
  };
  for (const auto& [text, field] : cases) {
    auto b = body(text);
    auto p = takeRoutePreferences(b);
    ASSERT_FALSE(p) << text;
    EXPECT_EQ(p.error().status, 400) << text;
    EXPECT_EQ(p.error().param, field) << text;
  }
}

TEST(RoutePreferences, TransformsAskForMiddleOutOrTurnItOff) {
  auto b = body(R"({"model":"a","messages":[],"transforms":["middle-out"]})");
  auto p = takeRoutePreferences(b);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->middleOut, true);
  EXPECT_FALSE(p->any);  // routing itself is unchanged
  EXPECT_FALSE(b.contains("transforms"));

  auto none = body(R"({"model":"a","transforms":[]})");
  p = takeRoutePreferences(none);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->middleOut, false);

  auto unsaid = body(R"({"model":"a"})");
  p = takeRoutePreferences(unsaid);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->middleOut, std::nullopt);

  auto unknown = body(R"({"model":"a","transforms":["middle-out","squeeze"]})");
  p = takeRoutePreferences(unknown);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().status, 400);
  EXPECT_EQ(p.error().param, "transforms");
  auto wrong = body(R"({"model":"a","transforms":"middle-out"})");
  EXPECT_FALSE(takeRoutePreferences(wrong));
}

}  // namespace
}  // namespace switchyard
