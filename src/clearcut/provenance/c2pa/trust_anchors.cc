#include "clearcut/provenance/c2pa/trust_anchors.h"

#include <memory>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "clearcut/base/file.h"

namespace clearcut::c2pa {

using base::Result;

namespace {

struct X509Deleter {
  void operator()(X509* p) const { X509_free(p); }
};
struct BioDeleter {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct StoreDeleter {
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
};
struct StoreCtxDeleter {
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
};
struct StackDeleter {
  void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
};

using X509Ptr = std::unique_ptr<X509, X509Deleter>;

X509Ptr parse_der(std::span<const uint8_t> der) {
  const unsigned char* p = der.data();
  return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

}  // namespace

Result<TrustAnchors> TrustAnchors::from_pem(std::string_view pem) {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  TrustAnchors anchors;
  while (true) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) {
      unsigned long error = ERR_peek_last_error();
      ERR_clear_error();
      // The end of the bundle shows up as "no start line"; anything else is damage.
      if (ERR_GET_REASON(error) != PEM_R_NO_START_LINE) {
        return base::invalid_argument("trust anchor bundle: certificate " +
                                      std::to_string(anchors.size() + 1) + " does not parse");
      }
      break;
    }
    int length = i2d_X509(cert.get(), nullptr);
    std::vector<uint8_t> der(static_cast<size_t>(length));
    unsigned char* out = der.data();
    i2d_X509(cert.get(), &out);
    anchors.add_der(std::move(der));
  }
  if (anchors.empty()) {
    return base::invalid_argument("trust anchor bundle holds no certificate");
  }
  return anchors;
}

Result<TrustAnchors> TrustAnchors::load_pem_file(const std::string& path) {
  std::string text = CC_TRY(base::read_file(path));
  auto anchors = from_pem(text);
  if (!anchors.has_value()) {
    return std::move(anchors).error().with_location({path, 0, 0});
  }
  return anchors;
}

ChainVerdict verify_certificate_chain(const TrustAnchors& anchors, std::span<const uint8_t> leaf,
                                      const std::vector<std::vector<uint8_t>>& intermediates,
                                      std::optional<int64_t> at_time) {
  if (anchors.empty()) {
    return {false, "no trust anchors configured"};
  }
  X509Ptr leaf_cert = parse_der(leaf);
  if (!leaf_cert) {
    return {false, "signing certificate does not parse"};
  }
  std::unique_ptr<X509_STORE, StoreDeleter> store(X509_STORE_new());
  for (const std::vector<uint8_t>& der : anchors.anchors()) {
    X509Ptr anchor = parse_der(der);
    if (anchor) {
      X509_STORE_add_cert(store.get(), anchor.get());
    }
  }
  std::unique_ptr<STACK_OF(X509), StackDeleter> chain(sk_X509_new_null());
  for (const std::vector<uint8_t>& der : intermediates) {
    X509Ptr cert = parse_der(der);
    if (cert) {
      sk_X509_push(chain.get(), cert.release());
    }
  }
  std::unique_ptr<X509_STORE_CTX, StoreCtxDeleter> ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf_cert.get(), chain.get()) != 1) {
    ERR_clear_error();
    return {false, "cannot set up certificate path validation"};
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  unsigned long flags = X509_V_FLAG_X509_STRICT | X509_V_FLAG_PARTIAL_CHAIN;
  if (at_time) {
    X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(*at_time));
  } else {
    flags |= X509_V_FLAG_NO_CHECK_TIME;
  }
  X509_VERIFY_PARAM_set_flags(param, flags);
  int ok = X509_verify_cert(ctx.get());
  ChainVerdict verdict;
  verdict.trusted = ok == 1;
  if (!verdict.trusted) {
    verdict.reason = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
  }
  ERR_clear_error();
  return verdict;
}

}  // namespace clearcut::c2pa
