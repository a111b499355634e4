#pragma once

// Internal to crypto/: owning pointers for OpenSSL objects, and the error-queue helpers its
// .cc files share. Never include this from outside src/clearcut/crypto/.

#include <memory>
#include <string>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "clearcut/base/result.h"
#include "clearcut/crypto/certificate.h"
#include "clearcut/crypto/key.h"

namespace clearcut::crypto::internal {

// One deleter for every OpenSSL type: `Free` is the library's own free function.
template <auto Free>
struct OpenSslFree {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};

// sk_X509_pop_free and OPENSSL_free are macros; these give them addresses.
inline void free_x509_stack(STACK_OF(X509) * stack) {
  sk_X509_pop_free(stack, X509_free);
}
inline void free_openssl_string(char* text) {
  OPENSSL_free(text);
}

using BioPtr = std::unique_ptr<BIO, OpenSslFree<BIO_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslFree<BN_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OpenSslFree<ECDSA_SIG_free>>;
using EkuPtr = std::unique_ptr<EXTENDED_KEY_USAGE, OpenSslFree<EXTENDED_KEY_USAGE_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslFree<EVP_MD_CTX_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslFree<EVP_PKEY_CTX_free>>;
using Pkcs7Ptr = std::unique_ptr<PKCS7, OpenSslFree<PKCS7_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY_free>>;
using StringPtr = std::unique_ptr<char, OpenSslFree<free_openssl_string>>;
using TstInfoPtr = std::unique_ptr<TS_TST_INFO, OpenSslFree<TS_TST_INFO_free>>;
using TsRespPtr = std::unique_ptr<TS_RESP, OpenSslFree<TS_RESP_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslFree<X509_free>>;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), OpenSslFree<free_x509_stack>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpenSslFree<X509_STORE_CTX_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, OpenSslFree<X509_STORE_free>>;

// A read-only memory BIO over `text`, which must outlive it.
BioPtr memory_bio(std::string_view text);
// The bytes written so far into a memory BIO.
std::string bio_text(BIO* bio);

// A pem_password_cb that refuses: nothing here ever prompts on a terminal for a pass phrase.
int no_passphrase(char* buffer, int size, int rwflag, void* user);

// `message`, followed by OpenSSL's reason in parentheses when it left one; the queue is
// drained either way, so one failure never shows up in an unrelated later call.
base::Error invalid(std::string message);
base::Error internal(std::string message);

// What the public key and certificate types hold, and the way in for crypto's .cc files.
struct KeyHolder {
  PkeyPtr pkey;
};
struct CertificateHolder {
  X509Ptr x509;
};
struct Access {
  static EVP_PKEY* pkey(const PublicKey& key);
  static EVP_PKEY* pkey(const PrivateKey& key);
  static X509* x509(const Certificate& certificate);
  static PublicKey public_key(PkeyPtr pkey);
  static PrivateKey private_key(PkeyPtr pkey);
  static Certificate certificate(X509Ptr x509, size_t encoded_size);
};

}  // namespace clearcut::crypto::internal
