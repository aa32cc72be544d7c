#pragma once
// `switchyard keys|teams|users ...`: the admin API's operations against the configured store,
// without a running gateway.

#include <string>
#include <vector>

namespace switchyard {

bool isAdminCommand(const std::string& first);
// args without the program name; returns the process exit code.
int runAdminCli(const std::vector<std::string>& args);
std::string adminUsageText();

}  // namespace switchyard
