#include "clearcut/crypto/time_stamp.h"

#include <algorithm>
#include <ctime>
#include <memory>
#include <vector>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "clearcut/crypto/internal/openssl_ptr.h"

namespace clearcut::crypto {

base::Result<TimeStampCheck> check_time_stamp(std::span<const uint8_t> token,
                                              std::span<const uint8_t> message) {
  // A TimeStampToken is a CMS ContentInfo; a TimeStampResp wraps one after a status.
  internal::Pkcs7Ptr owned_token;
  internal::TsRespPtr response;
  PKCS7* p7 = nullptr;
  const unsigned char* p = token.data();
  owned_token.reset(d2i_PKCS7(nullptr, &p, static_cast<long>(token.size())));
  if (owned_token) {
    p7 = owned_token.get();
  } else {
    ERR_clear_error();
    p = token.data();
    response.reset(d2i_TS_RESP(nullptr, &p, static_cast<long>(token.size())));
    if (response) {
      p7 = TS_RESP_get_token(response.get());
    }
  }
  if (p7 == nullptr) {
    ERR_clear_error();
    return base::invalid_argument("time-stamp is neither a TimeStampToken nor a TimeStampResp");
  }
  internal::TstInfoPtr info(PKCS7_to_TS_TST_INFO(p7));
  if (!info) {
    ERR_clear_error();
    return base::invalid_argument("time-stamp token holds no TSTInfo");
  }
  TimeStampCheck check;
  std::tm tm{};
  if (ASN1_TIME_to_tm(TS_TST_INFO_get_time(info.get()), &tm) != 1) {
    ERR_clear_error();
    return base::invalid_argument("time-stamp genTime unreadable");
  }
  check.gen_time = static_cast<int64_t>(timegm(&tm));

  TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(info.get());
  const ASN1_OBJECT* algorithm = nullptr;
  X509_ALGOR_get0(&algorithm, nullptr, nullptr, TS_MSG_IMPRINT_get_algo(imprint));
  const EVP_MD* md = algorithm != nullptr ? EVP_get_digestbyobj(algorithm) : nullptr;
  ASN1_OCTET_STRING* expected = TS_MSG_IMPRINT_get_msg(imprint);
  if (md != nullptr && expected != nullptr) {
    std::vector<unsigned char> actual(EVP_MAX_MD_SIZE);
    unsigned int length = 0;
    internal::MdCtxPtr ctx(EVP_MD_CTX_new());
    if (ctx && EVP_DigestInit_ex(ctx.get(), md, nullptr) == 1 &&
        EVP_DigestUpdate(ctx.get(), message.data(), message.size()) == 1 &&
        EVP_DigestFinal_ex(ctx.get(), actual.data(), &length) == 1) {
      check.imprint_matches =
          static_cast<int>(length) == ASN1_STRING_length(expected) &&
          std::equal(actual.begin(), actual.begin() + length, ASN1_STRING_get0_data(expected));
    }
  }

  // The TSA's own chain is not evaluated (no TSA trust list is configured), only that the
  // token's signer signed this TSTInfo.
  check.signature_valid = PKCS7_verify(p7, nullptr, nullptr, nullptr, nullptr, PKCS7_NOVERIFY) == 1;
  STACK_OF(X509)* signers = check.signature_valid ? PKCS7_get0_signers(p7, nullptr, 0) : nullptr;
  if (signers != nullptr && sk_X509_num(signers) > 0) {
    internal::StringPtr name(
        X509_NAME_oneline(X509_get_subject_name(sk_X509_value(signers, 0)), nullptr, 0));
    if (name != nullptr) {
      check.tsa = name.get();
    }
  }
  sk_X509_free(signers);
  ERR_clear_error();
  return check;
}

}  // namespace clearcut::crypto
