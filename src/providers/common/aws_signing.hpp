#pragma once
// SigV4 signing of an upstream request with a deployment's AWS credentials, for every AWS
// service a provider calls (Bedrock, SageMaker): the credentials and region come from the
// deployment only (the loader read the AWS_* variables into its aws_* params).

#include <chrono>
#include <string>
#include <string_view>

#include "config/snapshot.hpp"
#include "providers/adapter.hpp"
#include "providers/common/sigv4.hpp"

namespace switchyard::aws {

// aws_access_key_id, aws_secret_access_key and aws_session_token; the keys may be empty.
sigv4::Credentials credentials(const Deployment& d);
// The region to sign for: configured, else from a {service}.{region}.amazonaws.com host (also
// the -fips and VPC endpoint forms), else us-east-1.
std::string region(const Deployment& d);
// The error of a deployment without keys, naming the parameters and variables that give them.
Error missingCredentials(const Deployment& d, std::string_view provider);
// Adds X-Amz-Date, X-Amz-Content-Sha256, X-Amz-Security-Token (temporary credentials) and the
// Authorization header for `service` ("bedrock", "sagemaker") at time `now`.
void sign(UpstreamRequest& request, const Deployment& d, const sigv4::Credentials& credentials,
          std::string_view service, std::chrono::system_clock::time_point now);

}  // namespace switchyard::aws
