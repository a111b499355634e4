#pragma once

#include <chrono>
#include <string>

#include "clearcut/base/result.h"
#include "clearcut/clearance/audit_log.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

struct NoticeOptions {
  // A notice this many days before a granted approval or a consent in force expires (0: none).
  int expiry_notice_days = 14;
  // The UTC hour (0-23) at which each day's digests go out.
  int digest_hour = 8;
};

// What the periodic sweep sends that no request causes. Each pass, in its own transactions:
//  - expiry notices: an audit event `approval.expiring` (a granted, current approval of an
//    approved use case) or `consent.expiring` (a consent neither revoked nor lapsed) once the
//    expiry is within `expiry_notice_days`, each once: the event is appended only by the
//    transaction that first claims its notice key ("approval.expiring.<id>.<expires_at>") in
//    the ledger, so several servers sweeping one database send it once. Its payload carries the
//    key (`notice_key`), which `audit verify` checks against the ledger. The notifications it
//    causes are planned like any event's (notifications.h).
//  - task reminders (the inbox, inbox_service.h): for each use case waiting on the studio
//    (waiting.h), `use_case.due_soon` one working day before it is due (none when the
//    production's answer time is one day) and `use_case.overdue` once it is past due, each once
//    under the key "use_case.due_soon.<id>.<since>" (a use case that leaves its state and comes
//    back is reminded of again). Notified to its assignee, else to the contacts (notified) or
//    legal (escalated).
//  - daily digests: once the day's digest hour has passed, each person's held items from
//    before it are taken and one digest e-mail enqueued in the same transaction
//    ("digest.user<id>.<date>"): never lost, never sent twice. Items that miss a day's digest
//    (committed after it went) wait for the next.
// Thread-safe; errors only when the store fails.
class NoticeSweep {
 public:
  NoticeSweep(store::Store& store, AuditLog& audit, const Clock& clock, NoticeOptions options)
      : store_(store), audit_(audit), clock_(clock), options_(options) {}

  // Both passes; how many notices and digests they wrote.
  base::Result<int> run();
  base::Result<int> send_expiry_notices();
  base::Result<int> send_task_reminders();
  base::Result<int> send_digests();

  // The instant the digest of `now`'s day goes out: today's digest hour, or yesterday's when
  // it is not yet reached.
  static std::chrono::system_clock::time_point digest_cutoff(
      std::chrono::system_clock::time_point now, int digest_hour);

 private:
  // Appends a system event in its own transaction when `key` is claimed first; whether it was.
  base::Result<bool> notice_once(const std::string& key, const std::string& action,
                                 const std::string& subject_type, int64_t subject_id,
                                 const std::string& payload_json);

  store::Store& store_;
  AuditLog& audit_;
  const Clock& clock_;
  NoticeOptions options_;
};

}  // namespace clearcut::clearance
