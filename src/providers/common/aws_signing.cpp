#include "providers/common/aws_signing.hpp"

#include "providers/common/aws_region.hpp"

namespace switchyard::aws {

namespace {

std::string param(const Deployment& d, std::string_view key) {
  auto it = d.providerParams.find(std::string(key));
  return it == d.providerParams.end() ? std::string() : it->second;
}

}  // namespace

sigv4::Credentials credentials(const Deployment& d) {
  sigv4::Credentials creds;
  creds.accessKeyId = param(d, "aws_access_key_id");
  creds.secretAccessKey = param(d, "aws_secret_access_key");
  creds.sessionToken = param(d, "aws_session_token");
  return creds;
}

std::string region(const Deployment& d) {
  std::string r = configuredRegion(d.providerParams);
  if (!r.empty()) return r;
  const std::string& host = d.apiBase.host;
  if (const size_t dot = host.find(".amazonaws.com"); dot != std::string::npos && dot > 0) {
    const size_t start = host.rfind('.', dot - 1);
    if (start != std::string::npos) return host.substr(start + 1, dot - start - 1);
  }
  return "us-east-1";
}

Error missingCredentials(const Deployment& d, std::string_view provider) {
  return Error::make(ErrorClass::kUnauthorized,
                     std::string(provider) + " deployment '" + d.id +
                         "' has no AWS credentials: set aws_access_key_id and "
                         "aws_secret_access_key (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).",
                     {}, "missing_credentials");
}

void sign(UpstreamRequest& request, const Deployment& d, const sigv4::Credentials& creds,
          std::string_view service, std::chrono::system_clock::time_point now) {
  const std::string date = sigv4::amzDate(now);
  const std::string payloadHash = sigv4::sha256Hex(request.body);
  const std::string_view target = request.target;
  const size_t q = target.find('?');
  sigv4::Request toSign;
  toSign.method = request.method;
  toSign.path = target.substr(0, q);
  toSign.query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  toSign.payloadHash = payloadHash;
  toSign.headers = {{"host", d.apiBase.hostHeader()},
                    {"x-amz-date", date},
                    {"x-amz-content-sha256", payloadHash}};
  if (!creds.sessionToken.empty())
    toSign.headers.emplace_back("x-amz-security-token", creds.sessionToken);
  const auto signedRequest = sigv4::sign(toSign, creds, region(d), service, date);
  request.headers.emplace_back("X-Amz-Date", date);
  request.headers.emplace_back("X-Amz-Content-Sha256", payloadHash);
  if (!creds.sessionToken.empty()) {
    request.headers.emplace_back("X-Amz-Security-Token", creds.sessionToken);
  }
  request.headers.emplace_back("Authorization", signedRequest.authorization);
}

}  // namespace switchyard::aws
