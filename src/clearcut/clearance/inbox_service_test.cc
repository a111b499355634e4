#include "clearcut/clearance/inbox_service.h"

#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "clearcut/base/file.h"
#include "clearcut/clearance/clearance_service.h"
#include "clearcut/clearance/notice_sweep.h"
#include "clearcut/clearance/state_replay.h"
#include "clearcut/clearance/test_clock.h"
#include "clearcut/domain/tool_registry.h"
#include "clearcut/domain/validation.h"
#include "clearcut/store/sql/sql_store.h"

// The inbox (issue #15) against an in-memory SQLite store and a clock the test sets: who a use
// case waits on, due dates in working days, assignment, delegation, and that another
// production's tasks never show.
namespace clearcut::clearance {
namespace {

using domain::Role;
using domain::UseCaseState;
using Code = base::ErrorCode;

const std::string kSource = CLEARCUT_SOURCE_DIR;
constexpr const char* kT0 = "2026-11-01T00:00:00Z";

class InboxServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.set("2026-12-03T10:00:00Z");  // a Thursday
    store_ = store::open_store("sqlite::memory:").value();
    audit_ = std::make_unique<AuditLog>(audit::NoteSigner::generate("clearcut.test/audit").value());
    policy_ = std::make_unique<PolicyCache>(*store_, std::chrono::milliseconds(0));
    clearance_ = std::make_unique<ClearanceService>(*store_, *audit_, *policy_, clock_);
    inbox_ = std::make_unique<InboxService>(*store_, *audit_, clock_);
    auto tx = store_->begin().value();
    int64_t org = tx->accounts().create_organization({0, "Studio", kT0}).value();
    int64_t vendor = tx->accounts().create_organization({0, "Vendor", kT0}).value();
    production_ = tx->accounts().create_production({0, org, "squid-game-s3", "S3", kT0}).value();
    other_ = tx->accounts().create_production({0, org, "other", "Other", kT0}).value();
    partner_ = user(*tx, vendor, "paul", {{production_, Role::kPartner}});
    contact_ = user(*tx, org, "cara", {{production_, Role::kContact}});
    contact2_ = user(*tx, org, "carl", {{production_, Role::kContact}});
    legal_ = user(*tx, org, "lee", {{production_, Role::kLegal}});
    outsider_ = user(*tx, org, "olga", {{other_, Role::kContact}});
    other_legal_ = user(*tx, org, "otto", {{other_, Role::kLegal}});
    other_partner_ = user(*tx, vendor, "pia", {{other_, Role::kPartner}});
    admin_ = user(*tx, org, "ada", {});
    admin_.user.admin = true;
    ASSERT_TRUE(tx->accounts().update_user(admin_.user).has_value());
    ASSERT_TRUE(tx->commit().has_value());
    ASSERT_TRUE(
        clearance_->activate_policy_pack(admin_, read("policies/netflix-genai.yaml")).has_value());
    domain::ToolRegistry tools =
        take(domain::parse_tool_registry(read("policies/tools.yaml"), "tools.yaml"));
    for (const domain::Tool& tool : tools.tools()) {
      ASSERT_TRUE(clearance_->upsert_tool(admin_, tool).has_value());
    }
  }

  static std::string read(const std::string& path) {
    return base::read_file(kSource + "/" + path).value();
  }

  static Actor user(store::Transaction& tx, int64_t org, const std::string& name,
                    std::vector<std::pair<int64_t, Role>> roles) {
    Actor actor;
    actor.user.organization_id = org;
    actor.user.email = name + "@studio.example";
    actor.user.name = name == "lee" ? "Lee Gal" : name;
    actor.user.created_at = kT0;
    actor.user.id = tx.accounts().create_user(actor.user).value();
    for (const auto& [production, role] : roles) {
      domain::Membership m{actor.user.id, production, role};
      EXPECT_TRUE(tx.accounts().set_membership(m).has_value());
      actor.memberships.push_back(m);
    }
    return actor;
  }

  // A submitted mood board (notified: waits on a contact) or second doll (escalated: legal).
  domain::UseCase submitted(bool escalates, int64_t production = 0,
                            const Actor* partner = nullptr) {
    std::string text = read(escalates ? "examples/second-doll.yaml" : "examples/mood-board.yaml");
    if (production != 0) {
      text.replace(text.find("production: squid-game-s3"), 25, "production: other");
    }
    return take(clearance_->create_use_case(partner != nullptr ? *partner : partner_,
                                            production != 0 ? production : production_, text,
                                            true));
  }

  std::vector<Task> tasks(const Actor& actor) { return take(inbox_->my_tasks(actor)); }

  std::vector<int64_t> task_ids(const Actor& actor) {
    std::vector<int64_t> ids;
    for (const Task& t : tasks(actor)) {
      ids.push_back(t.use_case.id);
    }
    return ids;
  }

  // The outbox's e-mails for `action`, by recipient.
  std::vector<int64_t> mailed(const std::string& action) {
    auto tx = store_->begin().value();
    store::OutboxFilter filter;
    filter.limit = 1000;
    std::vector<int64_t> out;
    for (const domain::Notification& n : take(tx->outbox().list(filter))) {
      if (n.event_action == action && n.channel == domain::NotificationChannel::kEmail) {
        out.push_back(n.recipient_user_id);
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // What replaying the whole log finds different in `table`'s rows (the fixture writes
  // accounts and productions without events: only the columns named are compared, all when
  // `columns` is empty).
  std::vector<StateDifference> differences(const std::string& table,
                                           const std::vector<std::string>& columns = {}) {
    auto tx = store_->begin().value();
    uint64_t size = tx->audit().size().value();
    std::vector<audit::AuditEvent> events;
    for (const store::AuditRecord& r : take(tx->audit().list(0, size))) {
      events.push_back(r.event);
    }
    std::vector<StateDifference> out = take(compare_state_with_events(events, *tx));
    std::erase_if(out, [&](const StateDifference& d) {
      return d.table != table || (!columns.empty() && std::find(columns.begin(), columns.end(),
                                                                d.column) == columns.end());
    });
    return out;
  }

  // Writes straight into the tables, as someone with the database file would.
  void sql(const std::string& statement) {
    ASSERT_TRUE(dynamic_cast<store::sql::SqlStore&>(*store_).execute_raw(statement).has_value())
        << statement;
  }

  TestClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<PolicyCache> policy_;
  std::unique_ptr<ClearanceService> clearance_;
  std::unique_ptr<InboxService> inbox_;
  int64_t production_ = 0;
  int64_t other_ = 0;
  Actor partner_, contact_, contact2_, legal_, outsider_, other_legal_, other_partner_, admin_;
};

// A notified use case waits on the contacts until one acknowledges it, due two working days
// after it was submitted: over a weekend, Thursday's is due on Monday, and overdue after.
TEST_F(InboxServiceTest, DueDatesCountWorkingDaysAndFlagOverdue) {
  domain::UseCase u = submitted(false);
  std::vector<Task> mine = tasks(contact_);
  ASSERT_EQ(mine.size(), 1u);
  const Task& t = mine[0];
  EXPECT_EQ(t.use_case.id, u.id);
  EXPECT_EQ(t.production.code, "squid-game-s3");
  EXPECT_EQ(t.waiting_on, WaitingOn::kContact);
  EXPECT_EQ(t.todo, "Acknowledge it, escalate it to legal or ask for changes.");
  EXPECT_EQ(t.since, "2026-12-03T10:00:00.000Z");
  EXPECT_EQ(t.due_at, "2026-12-07T10:00:00.000Z");
  EXPECT_FALSE(t.overdue);
  EXPECT_FALSE(t.assignee.has_value());
  EXPECT_EQ(task_ids(contact2_), std::vector<int64_t>{u.id});
  EXPECT_TRUE(tasks(legal_).empty());
  EXPECT_TRUE(tasks(partner_).empty());

  clock_.set("2026-12-05T12:00:00Z");  // Saturday: not yet due
  EXPECT_FALSE(tasks(contact_).at(0).overdue);
  EXPECT_EQ(tasks(contact_).at(0).age_seconds, 2 * 86400 + 2 * 3600);
  clock_.set("2026-12-07T10:00:01Z");
  EXPECT_TRUE(tasks(contact_).at(0).overdue);

  // Acknowledged: the contact has seen it, and it waits on nobody.
  u = take(clearance_->transition(contact_, u.id, u.revision, UseCaseAction::kAcknowledge, ""));
  EXPECT_TRUE(tasks(contact_).empty());
}

// Escalated use cases wait on legal; overdue ones lead, then the earliest due. The production's
// answer time is an admin's setting.
TEST_F(InboxServiceTest, LegalsTasksOverdueFirstThenByDueDate) {
  domain::UseCase first = submitted(true);
  clock_.set("2026-12-07T09:00:00Z");  // Monday
  domain::UseCase second = submitted(true);
  clock_.set("2026-12-08T09:00:00Z");
  domain::UseCase third = submitted(true);
  clock_.set("2026-12-09T09:00:00Z");  // first: due Mon 10:00, overdue
  std::vector<Task> mine = tasks(legal_);
  ASSERT_EQ(mine.size(), 3u);
  EXPECT_EQ(mine[0].use_case.id, first.id);
  EXPECT_TRUE(mine[0].overdue);
  EXPECT_EQ(mine[1].use_case.id, second.id);
  EXPECT_EQ(mine[1].due_at, "2026-12-09T09:00:00.000Z");
  EXPECT_FALSE(mine[1].overdue);
  EXPECT_EQ(mine[2].use_case.id, third.id);
  EXPECT_EQ(mine[0].todo, "Go through its checklist and grant or refuse written approval.");
  EXPECT_TRUE(tasks(contact_).empty());

  EXPECT_EQ(inbox_->set_answer_within_days(contact_, production_, 5).error().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(inbox_->set_answer_within_days(outsider_, production_, 5).error().code(),
            Code::kNotFound);
  EXPECT_EQ(inbox_->set_answer_within_days(admin_, production_, 0).error().field(),
            "answer_within_days");
  EXPECT_EQ(inbox_->set_answer_within_days(admin_, production_, 31).error().field(),
            "answer_within_days");
  EXPECT_EQ(take(inbox_->set_answer_within_days(admin_, production_, 5)).answer_within_days, 5);
  mine = tasks(legal_);
  EXPECT_FALSE(mine[0].overdue);
  EXPECT_EQ(mine[0].due_at, "2026-12-10T10:00:00.000Z");  // Thu + 5: the next Thursday
  EXPECT_TRUE(differences("productions", {"answer_within_days"}).empty());
  // A setting changed in the table and not in the log is found.
  sql("UPDATE productions SET answer_within_days = 9 WHERE id = " + std::to_string(production_));
  std::vector<StateDifference> found = differences("productions", {"answer_within_days"});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].expected, "5");
  EXPECT_EQ(found[0].found, "9");
}

// A partner's task is their own use case sent back with changes requested; it has no due date.
TEST_F(InboxServiceTest, PartnersSeeTheirUseCasesSentBack) {
  domain::UseCase u = submitted(false);
  submitted(false);
  EXPECT_TRUE(tasks(partner_).empty());
  u = take(clearance_->transition(contact_, u.id, u.revision, UseCaseAction::kRequestChanges,
                                  "Name the tool"));
  std::vector<Task> mine = tasks(partner_);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].use_case.id, u.id);
  EXPECT_EQ(mine[0].waiting_on, WaitingOn::kPartner);
  EXPECT_EQ(mine[0].due_at, "");
  EXPECT_FALSE(mine[0].overdue);
  EXPECT_EQ(task_ids(contact_).size(), 1u);  // the other one
}

// Contacts, legal and admins assign a waiting use case to a contact or legal member of its
// production; the assignee hears of it, and everyone's tasks show who has it.
TEST_F(InboxServiceTest, AssignmentIsCheckedNotifiedAndShown) {
  domain::UseCase u = submitted(false);
  EXPECT_EQ(inbox_->assign(partner_, u.id, legal_.user.id).error().code(), Code::kPermissionDenied);
  EXPECT_EQ(inbox_->assign(outsider_, u.id, legal_.user.id).error().code(), Code::kNotFound);
  EXPECT_EQ(inbox_->assign(contact_, u.id, partner_.user.id).error().field(), "assignee_id");
  EXPECT_EQ(inbox_->assign(contact_, u.id, outsider_.user.id).error().field(), "assignee_id");
  EXPECT_EQ(inbox_->assign(contact_, u.id, 9999).error().field(), "assignee_id");
  EXPECT_TRUE(take(inbox_->assignable(partner_, u)).empty());
  std::vector<Person> people = take(inbox_->assignable(contact_, u));
  ASSERT_EQ(people.size(), 3u);  // cara, carl, Lee Gal
  EXPECT_EQ(people[2].name, "Lee Gal");

  EXPECT_TRUE(tasks(legal_).empty());
  domain::UseCase assigned = take(inbox_->assign(contact_, u.id, legal_.user.id));
  EXPECT_EQ(assigned.assignee_id, legal_.user.id);
  // Notified, it waits on a contact; assigned to Lee, it is Lee's task too.
  EXPECT_EQ(task_ids(legal_), std::vector<int64_t>{u.id});
  EXPECT_EQ(assigned.revision, u.revision);  // no new revision: a stale form still works
  EXPECT_EQ(mailed("use_case.assigned"), std::vector<int64_t>{legal_.user.id});
  for (const Actor* reader : {&contact_, &contact2_, &legal_}) {
    std::vector<Task> mine = tasks(*reader);
    ASSERT_EQ(mine.size(), 1u);
    ASSERT_TRUE(mine[0].assignee.has_value());
    EXPECT_EQ(mine[0].assignee->name, "Lee Gal");
  }
  EXPECT_EQ(take(clearance_->get_use_case(contact_, u.id)).names.at(legal_.user.id), "Lee Gal");
  EXPECT_TRUE(differences("use_cases").empty());

  // Escalated, it waits on legal: the contact's assignment ended with the state.
  u = take(clearance_->transition(contact_, u.id, u.revision, UseCaseAction::kEscalate, ""));
  EXPECT_EQ(take(clearance_->get_use_case(contact_, u.id)).use_case.assignee_id, 0);
  take(inbox_->assign(legal_, u.id, legal_.user.id));
  EXPECT_EQ(tasks(legal_).at(0).assignee->id, legal_.user.id);
  take(inbox_->assign(admin_, u.id, 0));
  EXPECT_FALSE(tasks(legal_).at(0).assignee.has_value());
  EXPECT_TRUE(differences("use_cases").empty());

  // A draft waits on nobody at the studio.
  u = take(clearance_->transition(contact_, u.id, u.revision, UseCaseAction::kRequestChanges, ""));
  EXPECT_EQ(inbox_->assign(contact_, u.id, legal_.user.id).error().code(),
            Code::kFailedPrecondition);

  // An assignee changed in the table and not in the log is found.
  domain::UseCase v = submitted(false);
  take(inbox_->assign(contact_, v.id, contact2_.user.id));
  sql("UPDATE use_cases SET assignee_id = " + std::to_string(contact_.user.id) +
      " WHERE id = " + std::to_string(v.id));
  std::vector<StateDifference> found = differences("use_cases");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].column, "assignee_id");
  EXPECT_EQ(found[0].expected, std::to_string(contact2_.user.id));
}

// While Lee is away, Carl (a contact on the same production) sees Lee's tasks marked as Lee's
// and hears what Lee would; when the delegation ends, neither.
TEST_F(InboxServiceTest, DelegationWhileAwayUntilItEnds) {
  domain::UseCase u = submitted(true);
  EXPECT_EQ(
      inbox_->set_delegation(legal_, "lee@studio.example", "2026-12-10T00:00:00Z").error().field(),
      "delegate_email");
  EXPECT_EQ(
      inbox_->set_delegation(legal_, "paul@studio.example", "2026-12-10T00:00:00Z").error().field(),
      "delegate_email");  // another organization's user
  EXPECT_EQ(inbox_->set_delegation(legal_, "nobody@studio.example", "2026-12-10T00:00:00Z")
                .error()
                .field(),
            "delegate_email");
  EXPECT_EQ(
      inbox_->set_delegation(legal_, "carl@studio.example", "2026-12-01T00:00:00Z").error().field(),
      "until");
  EXPECT_EQ(inbox_->set_delegation(legal_, "carl@studio.example", "next week").error().field(),
            "until");
  EXPECT_FALSE(take(inbox_->get_delegation(legal_)).has_value());
  EXPECT_TRUE(tasks(contact2_).empty());

  DelegationView view =
      take(inbox_->set_delegation(legal_, "carl@studio.example", "2026-12-10T00:00:00Z"));
  EXPECT_EQ(view.delegation.delegate_id, contact2_.user.id);
  EXPECT_EQ(view.delegate_name, "carl");
  EXPECT_TRUE(view.active);
  std::vector<Task> carls = tasks(contact2_);
  ASSERT_EQ(carls.size(), 1u);
  EXPECT_EQ(carls[0].use_case.id, u.id);
  ASSERT_TRUE(carls[0].on_behalf_of.has_value());
  EXPECT_EQ(carls[0].on_behalf_of->name, "Lee Gal");
  // Notifications addressed to Lee reach Carl too.
  take(inbox_->assign(contact_, u.id, legal_.user.id));
  EXPECT_EQ(mailed("use_case.assigned"), (std::vector<int64_t>{contact2_.user.id, legal_.user.id}));
  // Carl acts with his own roles: he may not approve what he sees for Lee.
  std::vector<std::string> allowed = allowed_actions(contact2_, u);
  EXPECT_EQ(std::find(allowed.begin(), allowed.end(), "approve"), allowed.end());
  EXPECT_TRUE(differences("delegations").empty());

  clock_.set("2026-12-10T00:00:00Z");
  EXPECT_TRUE(tasks(contact2_).empty());
  EXPECT_FALSE(take(inbox_->get_delegation(legal_))->active);
  take(inbox_->assign(contact_, u.id, 0));
  take(inbox_->assign(contact_, u.id, legal_.user.id));
  EXPECT_EQ(mailed("use_case.assigned"),
            (std::vector<int64_t>{contact2_.user.id, legal_.user.id, legal_.user.id}));

  // A delegation changed in the table and not in the log is found; removed, it is gone.
  sql("UPDATE delegations SET delegate_id = " + std::to_string(contact_.user.id));
  std::vector<StateDifference> found = differences("delegations");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].column, "delegate_id");
  ASSERT_TRUE(inbox_->remove_delegation(legal_).has_value());
  EXPECT_EQ(inbox_->remove_delegation(legal_).error().code(), Code::kNotFound);
  EXPECT_TRUE(differences("delegations").empty());
}

// Another production's use cases never show: not to its non-members, not through a delegation
// from a member (a delegate borrows no access), and not to an admin without a role.
TEST_F(InboxServiceTest, AnotherProductionsTasksNeverShow) {
  submitted(true);
  submitted(false);
  domain::UseCase theirs = submitted(true, other_, &other_partner_);
  EXPECT_EQ(task_ids(other_legal_), std::vector<int64_t>{theirs.id});
  EXPECT_TRUE(tasks(outsider_).empty());  // a contact there: nothing notified there
  take(inbox_->set_delegation(legal_, "olga@studio.example", "2026-12-10T00:00:00Z"));
  EXPECT_TRUE(tasks(outsider_).empty());
  for (const Task& t : tasks(legal_)) {
    EXPECT_EQ(t.production.id, production_);
  }
  EXPECT_TRUE(tasks(admin_).empty());
  EXPECT_EQ(inbox_->assign(other_legal_, theirs.id - 1, other_legal_.user.id).error().code(),
            Code::kNotFound);
}

// The notice sweep's reminders: one working day before due, then overdue, each once however
// often the sweep runs (a ledger key that audit verify checks); to the assignee, else to those
// the use case waits on.
TEST_F(InboxServiceTest, RemindersBeforeDueAndWhenOverdueEachOnce) {
  NoticeSweep sweep(*store_, *audit_, clock_, NoticeOptions{});
  domain::UseCase mood = submitted(false);  // Thursday 10:00: due Monday 10:00
  submitted(true);
  EXPECT_EQ(take(sweep.send_task_reminders()), 0);
  clock_.set("2026-12-04T09:59:59Z");
  EXPECT_EQ(take(sweep.send_task_reminders()), 0);
  clock_.set("2026-12-04T10:00:00Z");  // Friday: one working day left
  EXPECT_EQ(take(sweep.send_task_reminders()), 2);
  EXPECT_EQ(take(sweep.send_task_reminders()), 0);
  EXPECT_EQ(mailed("use_case.due_soon"),
            (std::vector<int64_t>{contact_.user.id, contact2_.user.id, legal_.user.id}));

  take(inbox_->assign(contact_, mood.id, contact2_.user.id));
  clock_.set("2026-12-07T10:00:01Z");  // Monday, past due
  EXPECT_EQ(take(sweep.send_task_reminders()), 2);
  EXPECT_EQ(take(sweep.send_task_reminders()), 0);
  EXPECT_EQ(mailed("use_case.overdue"), (std::vector<int64_t>{contact2_.user.id, legal_.user.id}));
  auto tx = store_->begin().value();
  uint64_t size = tx->audit().size().value();
  audit::AuditEvent last = take(tx->audit().list(size - 1, 1)).at(0).event;
  EXPECT_EQ(last.actor, "system");
  EXPECT_EQ(last.action, "use_case.overdue");
  nlohmann::json payload = nlohmann::json::parse(last.payload_json);
  EXPECT_EQ(payload["due_at"], "2026-12-07T10:00:00.000Z");
  tx.reset();
  EXPECT_EQ(payload["notice_key"],
            "use_case.overdue." + last.subject_id + "." + payload["since"].get<std::string>());
  EXPECT_TRUE(differences("use_cases").empty());
  EXPECT_TRUE(differences("use_case_events").empty());
  EXPECT_TRUE(differences("notices").empty());

  // Reminded once: a later sweep sends nothing more of either.
  clock_.set("2026-12-09T10:00:00Z");
  EXPECT_EQ(take(sweep.send_task_reminders()), 0);
}

}  // namespace
}  // namespace clearcut::clearance
