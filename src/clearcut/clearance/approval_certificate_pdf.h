#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "clearcut/base/result.h"
#include "clearcut/clearance/approval_certificate.h"

namespace clearcut::clearance {

// A PDF over 16 MiB is not one clearcut wrote: reading stops there.
inline constexpr size_t kMaxCertificatePdfBytes = 16 << 20;

// The certificate for people: a PDF that shows the approval (signer, reason, scope, conditions,
// expiry), the decision, the checklist with its evidence and hashes, the declaration and its
// digest, and the audit log's inclusion proof and signed checkpoint, and carries the
// certificate file itself (write_approval_certificate's JSON) as an embedded file named
// "approval-<id>-certificate.json". Deterministic: the certificate fixes every byte, which is
// how read_approval_certificate_pdf knows a PDF was not changed. Fails as
// write_approval_certificate does.
base::Result<std::string> write_approval_certificate_pdf(const ApprovalCertificate& certificate);

// Reads the certificate a PDF of write_approval_certificate_pdf carries, and checks that the
// PDF is, byte for byte, the one that certificate renders to: a change to what the PDF shows
// (or anywhere else in it) is kInvalidArgument, as is a file that is not such a PDF. Then
// verify_approval_certificate checks the certificate. Safe on any bytes.
base::Result<ApprovalCertificate> read_approval_certificate_pdf(std::string_view pdf);

// Whether `bytes` start as a PDF file does ("%PDF-").
bool looks_like_pdf(std::string_view bytes);

}  // namespace clearcut::clearance
