#include "server/ui/ui_sessions.hpp"

#include <gtest/gtest.h>

#include <set>

#include "server/ui/ui_assets.hpp"

namespace switchyard {
namespace {

TEST(UiSessions, CreateFindExpireRemove) {
  UiSessions sessions;
  const auto a = sessions.create("", "hash", 1000);
  EXPECT_EQ(a.id.size(), 43u);
  EXPECT_EQ(a.session.csrfToken.size(), 43u);
  EXPECT_NE(a.id, a.session.csrfToken);
  EXPECT_EQ(a.session.expiresAtMs, 1000 + UiSessions::kLifetimeMs);
  auto found = sessions.find(a.id, 2000);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->csrfToken, a.session.csrfToken);
  EXPECT_FALSE(sessions.find("not-a-session", 2000));
  EXPECT_FALSE(sessions.find("", 2000));
  // Expired: not found, and forgotten.
  EXPECT_FALSE(sessions.find(a.id, a.session.expiresAtMs));
  EXPECT_EQ(sessions.size(), 0u);
  const auto b = sessions.create("key-hash", "", 1000);
  sessions.remove(b.id);
  EXPECT_FALSE(sessions.find(b.id, 1001));
}

TEST(UiSessions, BoundedTableEvictsTheEarliestExpiry) {
  UiSessions sessions;
  const auto first = sessions.create("", "h", 0);
  for (size_t i = 1; i < UiSessions::kMaxSessions; ++i) sessions.create("", "h", int64_t(i));
  EXPECT_EQ(sessions.size(), UiSessions::kMaxSessions);
  const auto last = sessions.create("", "h", 5000);
  EXPECT_EQ(sessions.size(), UiSessions::kMaxSessions);
  EXPECT_FALSE(sessions.find(first.id, 5000));
  EXPECT_TRUE(sessions.find(last.id, 5000));
}

TEST(UiSessions, TokensAreRandomAndUrlSafe) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string t = randomUrlToken();
    EXPECT_EQ(
        t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    EXPECT_TRUE(seen.insert(t).second);
  }
}

TEST(UiSessions, CookieValueFindsTheNamedCookie) {
  EXPECT_EQ(cookieValue("sy_session=abc", "sy_session"), "abc");
  EXPECT_EQ(cookieValue("a=1; sy_session=abc; b=2", "sy_session"), "abc");
  EXPECT_EQ(cookieValue("xsy_session=abc; sy_session=def", "sy_session"), "def");
  EXPECT_EQ(cookieValue("a=1;b=2", "sy_session"), "");
  EXPECT_EQ(cookieValue("", "sy_session"), "");
  EXPECT_EQ(cookieValue("sy_session", "sy_session"), "");
}

TEST(UiSessions, CookieFlags) {
  const std::string c = sessionCookie("abc", 3600, false);
  EXPECT_EQ(c, "sy_session=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict");
  EXPECT_EQ(sessionCookie("abc", 60, true).ends_with("; Secure"), true);
  EXPECT_EQ(expiredSessionCookie(false),
            "sy_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
}

TEST(UiSessions, SameOrigin) {
  EXPECT_TRUE(sameOrigin("http://127.0.0.1:4000", "127.0.0.1:4000"));
  EXPECT_TRUE(sameOrigin("https://gw.example:443", "gw.example:443"));
  EXPECT_FALSE(sameOrigin("http://evil.example", "127.0.0.1:4000"));
  EXPECT_FALSE(sameOrigin("http://127.0.0.1:4001", "127.0.0.1:4000"));
  EXPECT_FALSE(sameOrigin("null", "127.0.0.1:4000"));
  EXPECT_FALSE(sameOrigin("http://", ""));
}

TEST(UiSessions, CsrfNeedsTheTokenAndASameOriginOrigin) {
  UiSession s;
  s.csrfToken = "token-123";
  EXPECT_TRUE(csrfAdmits(s, "token-123", "", "h:1"));
  EXPECT_TRUE(csrfAdmits(s, "token-123", "http://h:1", "h:1"));
  EXPECT_FALSE(csrfAdmits(s, "", "http://h:1", "h:1"));
  EXPECT_FALSE(csrfAdmits(s, "token-124", "http://h:1", "h:1"));
  EXPECT_FALSE(csrfAdmits(s, "token-12", "", "h:1"));
  EXPECT_FALSE(csrfAdmits(s, "token-123", "http://evil:1", "h:1"));
}

TEST(UiAssets, TheBundleHoldsTheAppWithCompressedForms) {
  const UiAsset* index = findUiAsset("index.html");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->contentType, "text/html; charset=utf-8");
  EXPECT_NE(index->identity.find("<div id=\"app\">"), std::string_view::npos);
  EXPECT_EQ(index->etag.front(), '"');
  bool script = false;
  for (const auto& a : uiAssets()) {
    if (a.path.starts_with("assets/") && a.path.ends_with(".js")) {
      script = true;
      EXPECT_EQ(a.contentType, "text/javascript; charset=utf-8");
      EXPECT_FALSE(a.brotli.empty());
      EXPECT_FALSE(a.gzip.empty());
      EXPECT_LT(a.brotli.size(), a.identity.size());
    }
  }
  EXPECT_TRUE(script);
  EXPECT_EQ(findUiAsset("missing.js"), nullptr);
}

TEST(UiAssets, PickEncodingHonoursAcceptEncoding) {
  UiAsset a{"x.js", "text/javascript", "\"e\"", "identity", "gz", "br"};
  EXPECT_EQ(pickEncoding(a, "gzip, deflate, br").contentEncoding, "br");
  EXPECT_EQ(pickEncoding(a, "gzip").contentEncoding, "gzip");
  EXPECT_EQ(pickEncoding(a, "br;q=0, gzip").contentEncoding, "gzip");
  EXPECT_EQ(pickEncoding(a, "br;q=0.5").contentEncoding, "br");
  EXPECT_EQ(pickEncoding(a, "").contentEncoding, "");
  EXPECT_EQ(pickEncoding(a, "").bytes, "identity");
  EXPECT_EQ(pickEncoding(a, "gzip;q=0.000").contentEncoding, "");
  UiAsset png{"a.png", "image/png", "\"e\"", "png", "", ""};
  EXPECT_EQ(pickEncoding(png, "br, gzip").contentEncoding, "");
}

}  // namespace
}  // namespace switchyard
