#include "app/admin_cli.hpp"

#include <boost/json.hpp>
#include <iostream>

#include "config/loader.hpp"
#include "governance/governance.hpp"

namespace switchyard {

namespace json = boost::json;

namespace {

// A flag and the admin API field it sets, with how its text becomes JSON.
enum class Kind { kString, kNumber, kList, kJson, kBool };
struct Flag {
  std::string_view flag;
  std::string_view field;
  Kind kind;
};

constexpr Flag kFlags[] = {
    {"--alias", "key_alias", Kind::kString},
    {"--team-alias", "team_alias", Kind::kString},
    {"--team", "team_id", Kind::kString},
    {"--team-id", "team_id", Kind::kString},
    {"--user", "user_id", Kind::kString},
    {"--user-id", "user_id", Kind::kString},
    {"--email", "user_email", Kind::kString},
    {"--models", "models", Kind::kList},
    {"--max-budget", "max_budget", Kind::kNumber},
    {"--soft-budget", "soft_budget", Kind::kNumber},
    {"--budget-duration", "budget_duration", Kind::kString},
    {"--duration", "duration", Kind::kString},
    {"--tpm", "tpm_limit", Kind::kNumber},
    {"--rpm", "rpm_limit", Kind::kNumber},
    {"--max-parallel", "max_parallel_requests", Kind::kNumber},
    {"--metadata", "metadata", Kind::kJson},
    {"--blocked", "blocked", Kind::kBool},
};

struct Parsed {
  std::string configPath;
  std::string databaseUrl;
  std::vector<std::string> positional;
  json::object body;
  std::string error;
};

Parsed parse(const std::vector<std::string>& args) {
  Parsed p;
  for (size_t i = 2; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!a.starts_with("--")) {
      p.positional.push_back(a);
      continue;
    }
    if (i + 1 >= args.size()) {
      p.error = a + " needs a value";
      return p;
    }
    const std::string& v = args[++i];
    if (a == "--config") {
      p.configPath = v;
      continue;
    }
    if (a == "--db") {
      p.databaseUrl = v;
      continue;
    }
    const Flag* flag = nullptr;
    for (const auto& f : kFlags) {
      if (f.flag == a) flag = &f;
    }
    if (!flag) {
      p.error = "unknown option " + a;
      return p;
    }
    boost::system::error_code ec;
    switch (flag->kind) {
      case Kind::kString:
        p.body[flag->field] = v;
        break;
      case Kind::kList: {
        json::array list;
        size_t start = 0;
        while (start <= v.size()) {
          const size_t comma = std::min(v.find(',', start), v.size());
          if (comma > start) list.emplace_back(v.substr(start, comma - start));
          start = comma + 1;
        }
        p.body[flag->field] = std::move(list);
        break;
      }
      case Kind::kNumber:
      case Kind::kJson:
      case Kind::kBool: {
        // The admin API validates the value; here it only has to be JSON.
        json::value parsed = json::parse(v, ec);
        if (ec) {
          p.error = a + ": not a valid value: " + v;
          return p;
        }
        p.body[flag->field] = std::move(parsed);
        break;
      }
    }
  }
  return p;
}

}  // namespace

bool isAdminCommand(const std::string& first) {
  return first == "keys" || first == "teams" || first == "users";
}

std::string adminUsageText() {
  return R"(  switchyard keys create [--alias A] [--models a,b] [--max-budget USD] [--soft-budget USD]
                         [--budget-duration 30d] [--duration 90d] [--tpm N] [--rpm N]
                         [--max-parallel N] [--team ID] [--user ID] [--metadata JSON]
  switchyard keys list | info KEY | update KEY [options as create] [--blocked true|false]
  switchyard keys delete KEY...
  switchyard teams create [--team-id ID] [--team-alias A] [limits as keys] | teams info ID
  switchyard users create [--user-id ID] [--email E] [--team ID] [limits as keys]
  Every admin command takes --config FILE (its general_settings.database_url) or --db URL;
  without either it uses ./switchyard.db.
)";
}

int runAdminCli(const std::vector<std::string>& args) {
  if (args.size() < 2) {
    std::cerr << "usage:\n" << adminUsageText();
    return 2;
  }
  Parsed p = parse(args);
  if (!p.error.empty()) {
    std::cerr << "error: " << p.error << "\n\nusage:\n" << adminUsageText();
    return 2;
  }
  Snapshot snapshot;
  if (!p.configPath.empty()) {
    auto loaded = loadConfigFile(p.configPath, processEnvironment());
    if (!loaded.ok()) {
      for (const auto& d : loaded.diagnostics) std::cerr << formatDiagnostic(d) << "\n";
      return 1;
    }
    snapshot = *loaded.snapshot;
  }
  if (!p.databaseUrl.empty()) snapshot.databaseUrl = p.databaseUrl;
  auto g = Governance::open(snapshot);
  if (!g) {
    std::cerr << "error: " << g.error().message << "\n";
    return 1;
  }
  const std::string& noun = args[0];
  const std::string& verb = args[1];
  const std::string first = p.positional.empty() ? std::string() : p.positional.front();
  std::string method = "POST", path, query;
  if (noun == "keys" && verb == "create") {
    path = "/key/generate";
  } else if (noun == "keys" && verb == "list") {
    method = "GET", path = "/key/list", query = "return_full_object=true";
  } else if (noun == "keys" && verb == "info") {
    method = "GET", path = "/key/info", query = "key=" + first;
  } else if (noun == "keys" && verb == "update") {
    path = "/key/update";
    p.body["key"] = first;
  } else if (noun == "keys" && verb == "delete") {
    path = "/key/delete";
    json::array keys;
    for (const auto& k : p.positional) keys.emplace_back(k);
    p.body["keys"] = std::move(keys);
  } else if (noun == "teams" && verb == "create") {
    path = "/team/new";
  } else if (noun == "teams" && verb == "info") {
    method = "GET", path = "/team/info", query = "team_id=" + first;
  } else if (noun == "users" && verb == "create") {
    path = "/user/new";
  } else if (noun == "users" && verb == "info") {
    method = "GET", path = "/user/info", query = "user_id=" + first;
  } else {
    std::cerr << "error: unknown command: " << noun << " " << verb << "\n\nusage:\n"
              << adminUsageText();
    return 2;
  }
  AdminReply reply = (*g)->admin(method, path, query, json::serialize(p.body));
  (*g)->stop();
  (reply.status == 200 ? std::cout : std::cerr) << reply.body << "\n";
  return reply.status == 200 ? 0 : 1;
}

}  // namespace switchyard
