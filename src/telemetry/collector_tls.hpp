#pragma once
// The TLS client context of the trace exporter for https:// collectors: the peer's certificate
// is verified against the system's CA bundle, or against the operator's CA file
// (OTEL_EXPORTER_OTLP_CERTIFICATE) when one is given, and its name against the URL's host.

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "core/error.hpp"

namespace switchyard {

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;

// `caFile` empty: the system's default CA paths.
Result<SslCtxPtr> makeCollectorTlsContext(const std::string& caFile);

// The last OpenSSL error of this thread as text (and the queue cleared).
std::string lastTlsError();

}  // namespace switchyard
