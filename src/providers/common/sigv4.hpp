#pragma once
// AWS Signature Version 4 (header form): the canonical request, string to sign and Authorization
// header, as the SigV4 reference and its published test suite define them. Pure functions; the
// caller supplies the time so that tests can pin it.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchyard::sigv4 {

struct Credentials {
  std::string accessKeyId;
  std::string secretAccessKey;
  std::string sessionToken;  // empty unless temporary credentials
};

struct Request {
  std::string_view method;
  std::string_view path;   // as sent on the wire, before '?'
  std::string_view query;  // as sent, without '?'
  // Every header to sign (host and x-amz-date included), in any order and case.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view payloadHash;  // lowercase hex SHA-256 of the body
};

struct Signed {
  std::string canonicalRequest;
  std::string stringToSign;
  std::string signature;      // lowercase hex
  std::string authorization;  // the Authorization header value
};

std::string sha256Hex(std::string_view data);
// Raw 32-byte HMAC-SHA256.
std::string hmacSha256(std::string_view key, std::string_view data);
std::string toHex(std::string_view bytes);
// "20150830T123600Z"
std::string amzDate(std::chrono::system_clock::time_point t);
// RFC 3986 percent-encoding of everything but A-Z a-z 0-9 - _ . ~ (and '/' when keepSlash).
std::string uriEncode(std::string_view s, bool keepSlash);
// Non-S3 services encode each path segment of the wire path once more: "%3A" becomes "%253A".
std::string canonicalUri(std::string_view path);
std::string canonicalQuery(std::string_view query);

Signed sign(const Request& request, const Credentials& credentials, std::string_view region,
            std::string_view service, std::string_view amzDate);

}  // namespace switchyard::sigv4
