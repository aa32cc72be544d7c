#include "stages/auth/master_key_auth.hpp"

#include <openssl/crypto.h>

namespace switchyard {

bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<Error> checkMasterKey(const Snapshot& snapshot, std::string_view presented) {
  const std::string& master = snapshot.masterKey;
  if (master.empty()) return std::nullopt;
  if (presented.empty()) {
    return Error::make(ErrorClass::kUnauthorized,
                       "Authentication Error: no API key provided. Send 'Authorization: Bearer "
                       "<key>'.",
                       {}, "missing_api_key");
  }
  if (!constantTimeEquals(presented, master)) {
    return Error::make(ErrorClass::kUnauthorized, "Authentication Error: invalid API key.", {},
                       "invalid_api_key");
  }
  return std::nullopt;
}

}  // namespace switchyard
