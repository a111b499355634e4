#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clearcut/audit/audit_event.h"
#include "clearcut/audit/checkpoint.h"
#include "clearcut/audit/merkle_hash.h"
#include "clearcut/audit/note_verifier.h"
#include "clearcut/base/result.h"
#include "clearcut/domain/account.h"
#include "clearcut/domain/checklist.h"
#include "clearcut/domain/use_case.h"

namespace clearcut::clearance {

inline constexpr std::string_view kApprovalCertificateFormat = "clearcut-approval-certificate/1";
inline constexpr std::string_view kApprovalGrantedAction = "approval.granted";

// What the "approval.granted" event records, and so what a certificate shows: the approval
// (scope, conditions, expiry, typed name, reason, time), the approver's account, the
// declaration as approved (canonical JSON) with its digest, the decision (policy pack, outcome,
// rules, actions) and the checklist with its evidence, each consent that met a consent item
// with its document's SHA-256. `decision_json` is the stored decision; `consents` may hold
// more than the covering ones. A JSON object (the audit event's payload).
std::string approval_event_payload(const domain::Approval& approval, const domain::User& approver,
                                   const domain::UseCase& use_case,
                                   const std::vector<domain::ChecklistItem>& checklist,
                                   const std::vector<domain::Consent>& consents);

// A written approval's certificate: its "approval.granted" audit event, the RFC 9162 inclusion
// proof of that event's leaf in the tree of `tree_size` events, and the log's signed checkpoint
// of that tree (C2SP tlog-checkpoint). Whoever holds the log's public key can check it offline;
// the event's payload is the approval as signed. Plain value.
struct ApprovalCertificate {
  audit::AuditEvent event;
  uint64_t tree_size = 0;
  std::vector<audit::Hash> inclusion_proof;
  std::string checkpoint;  // the signed note
};

// The certificate file: JSON, keys sorted, two-space indents, a final newline,
//   {"approval": <the event's payload>,
//    "audit_log": {"checkpoint": "<note>", "event": {"action", "actor", "sequence",
//                  "subject_id", "subject_type", "time"}, "inclusion_proof": ["<base64>", ...],
//                  "tree_size": N},
//    "format": "clearcut-approval-certificate/1"}
// Fails (kInvalidArgument) when the payload is not a JSON object.
base::Result<std::string> write_approval_certificate(const ApprovalCertificate& certificate);

// Reads a certificate file. Anything write_approval_certificate would not have written byte
// for byte (another layout, an unknown or missing key, a wrong type, another format) is
// kInvalidArgument naming what: a certificate changed after it was issued is refused here or
// by verify_approval_certificate.
base::Result<ApprovalCertificate> read_approval_certificate(std::string_view text);

// Checks a certificate offline: the checkpoint carries a valid signature of one of `keys`
// (its origin that key's name), is of `tree_size` events, and its root is what the inclusion
// proof gives for the event's leaf at its sequence; the event is an approval's
// "approval.granted" and the declaration it carries hashes to its declaration digest. Every
// field of the certificate is covered: the approval is the event's payload. Returns the
// checkpoint it was proven against. Failures are kDataLoss saying which check failed
// (kInvalidArgument when `keys` is empty).
base::Result<audit::Checkpoint> verify_approval_certificate(
    const ApprovalCertificate& certificate, std::span<const audit::NoteVerifier> keys);

}  // namespace clearcut::clearance
