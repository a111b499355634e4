#include "clearcut/crypto/testing/test_support.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "clearcut/crypto/internal/openssl_ptr.h"
#include "clearcut/crypto/key.h"

namespace clearcut::crypto::testing {

base::Result<std::string> encrypt_private_key_pem(std::string_view pem,
                                                  std::string_view passphrase) {
  PrivateKey key = CC_TRY(PrivateKey::from_pem(pem));
  internal::BioPtr out(BIO_new(BIO_s_mem()));
  std::string phrase(passphrase);
  if (!out || PEM_write_bio_PKCS8PrivateKey(
                  out.get(), internal::Access::pkey(key), EVP_aes_256_cbc(), phrase.data(),
                  static_cast<int>(phrase.size()), nullptr, nullptr) != 1) {
    return internal::internal("cannot write the encrypted key");
  }
  return internal::bio_text(out.get());
}

void queue_unsupported_algorithm_error() {
  ERR_raise(ERR_LIB_EVP, EVP_R_UNSUPPORTED_ALGORITHM);
}

}  // namespace clearcut::crypto::testing
