#include "telemetry/collector_tls.hpp"

#include <openssl/err.h>

namespace switchyard {

std::string lastTlsError() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(e, text, sizeof text);
    if (!out.empty()) out += "; ";
    out += text;
  }
  return out.empty() ? "unknown TLS error" : out;
}

Result<SslCtxPtr> makeCollectorTlsContext(const std::string& caFile) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx)
    return Error::make(ErrorClass::kInternal, "cannot create a TLS context: " + lastTlsError());
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  const int loaded = caFile.empty()
                         ? SSL_CTX_set_default_verify_paths(ctx.get())
                         : SSL_CTX_load_verify_locations(ctx.get(), caFile.c_str(), nullptr);
  if (loaded != 1) {
    return Error::make(ErrorClass::kInternal,
                       (caFile.empty() ? std::string("cannot load the system's CA certificates")
                                       : "cannot load the CA file '" + caFile + "'") +
                           ": " + lastTlsError());
  }
  return ctx;
}

}  // namespace switchyard
