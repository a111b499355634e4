#include "clearcut/clearance/dashboard_service.h"

#include <gtest/gtest.h>

#include "clearcut/clearance/clearance_service.h"
#include "clearcut/clearance/test_clock.h"

// Dashboards (issue #17) against an in-memory SQLite store seeded through the clearance service,
// with a clock the test sets: the funnel, the ageing of waiting use cases in working days, risk
// by the pack's categories, outputs, scans by deliverable, and that neither view counts a
// production its reader is not on.
namespace clearcut::clearance {
namespace {

using domain::Role;
using domain::UseCaseState;
using Code = base::ErrorCode;

constexpr const char* kT0 = "2026-11-01T00:00:00Z";

class DashboardServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::open_store("sqlite::memory:").value();
    audit_ = std::make_unique<AuditLog>(audit::NoteSigner::generate("clearcut.test/audit").value());
    policy_ = std::make_unique<PolicyCache>(*store_, std::chrono::milliseconds(0));
    clearance_ = std::make_unique<ClearanceService>(*store_, *audit_, *policy_, clock_);
    dashboards_ = std::make_unique<DashboardService>(*store_, *policy_, clock_);
    auto tx = store_->begin().value();
    int64_t org = tx->accounts().create_organization({0, "Studio", kT0}).value();
    int64_t vendor = tx->accounts().create_organization({0, "Vendor", kT0}).value();
    production_ = tx->accounts().create_production({0, org, "squid-game-s3", "S3", kT0}).value();
    other_ = tx->accounts().create_production({0, org, "other", "Other", kT0}).value();
    partner_ = add_user(*tx, vendor, "paul", {{production_, Role::kPartner}});
    contact_ = add_user(*tx, org, "cara", {{production_, Role::kContact}});
    outsider_ = add_user(*tx, org, "olga", {{other_, Role::kContact}});
    other_partner_ = add_user(*tx, vendor, "pia", {{other_, Role::kPartner}});
    admin_ = add_user(*tx, org, "ada", {});
    admin_.user.admin = true;
    ASSERT_TRUE(tx->accounts().update_user(admin_.user).has_value());
    ASSERT_TRUE(tx->commit().has_value());
    load_default_policy(*clearance_, admin_);
  }

  // An example declaration declared by the production's partner (of `other_` when `other`).
  domain::UseCase declare(const std::string& example, bool submit, bool other = false) {
    std::string text = read_source("examples/" + example);
    if (other) {
      text.replace(text.find("production: squid-game-s3"), 25, "production: other");
    }
    return take(clearance_->create_use_case(other ? other_partner_ : partner_,
                                            other ? other_ : production_, text, submit));
  }

  // Writes the state straight into the table, as an approval would leave it (approving takes a
  // whole checklist; the dashboard reads only the state and the stored decision).
  void set_state(int64_t id, UseCaseState state) {
    auto tx = store_->begin().value();
    domain::UseCase u = take(tx->use_cases().get(id));
    u.state = state;
    ASSERT_TRUE(tx->use_cases().update(u).has_value());
    ASSERT_TRUE(tx->commit().has_value());
  }

  // A finished scan of `paths` with `summary` as the worker wrote it.
  void finished_scan(int64_t production, const std::vector<std::string>& paths, bool passes,
                     const std::string& summary, const std::string& at) {
    auto tx = store_->begin().value();
    domain::ScanJob job;
    job.production_id = production;
    job.paths = paths;
    job.submitted_by = admin_.user.id;
    job.submitted_at = at;
    int64_t id = take(tx->scan_jobs().create(job));
    std::optional<domain::ScanJob> claimed = take(tx->scan_jobs().claim("w", at, kT0));
    ASSERT_TRUE(claimed.has_value());
    ASSERT_EQ(claimed->id, id);
    domain::ScanJobResult result;
    result.id = id;
    result.worker = "w";
    result.passes = passes;
    result.files = static_cast<int>(paths.size());
    result.summary_json = summary;
    result.report_json = "{}";
    result.report_html = "<p></p>";
    result.finished_at = at;
    ASSERT_TRUE(tx->scan_jobs().finish(result).has_value());
    ASSERT_TRUE(tx->commit().has_value());
  }

  void add_asset(int64_t production, int64_t use_case, domain::AssetStatus status) {
    auto tx = store_->begin().value();
    domain::Asset asset;
    asset.production_id = production;
    asset.use_case_id = use_case;
    asset.file_name = "doll.png";
    asset.media_type = "image/png";
    asset.sha256 = std::string(64, 'a');
    asset.status = status;
    asset.created_by = admin_.user.id;
    asset.created_at = kT0;
    ASSERT_TRUE(tx->assets().create(asset).has_value());
    ASSERT_TRUE(tx->commit().has_value());
  }

  const RiskFigure& risk(const ProductionDashboard& d, const std::string& name) {
    for (const RiskFigure& r : d.risks) {
      if (r.name == name) {
        return r;
      }
    }
    ADD_FAILURE() << "no risk category " << name;
    static const RiskFigure kNone;
    return kNone;
  }

  TestClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<PolicyCache> policy_;
  std::unique_ptr<ClearanceService> clearance_;
  std::unique_ptr<DashboardService> dashboards_;
  int64_t production_ = 0;
  int64_t other_ = 0;
  Actor partner_, contact_, outsider_, other_partner_, admin_;
};

TEST_F(DashboardServiceTest, FunnelAndRiskByCategory) {
  declare("mood-board.yaml", false);  // draft
  declare("mood-board.yaml", true);   // notified: no category
  declare("second-doll.yaml", true);  // escalated: final use
  int64_t voice = declare("synthetic-voice.json", true).id;
  set_state(voice, UseCaseState::kApproved);  // talent, final use; IP only unknown
  domain::UseCase gone = declare("mood-board.yaml", true);
  take(clearance_->transition(partner_, gone.id, gone.revision, UseCaseAction::kWithdraw, ""));
  declare("second-doll.yaml", true, true);  // another production's: counted nowhere here

  ProductionDashboard d = take(dashboards_->production(contact_, production_));
  EXPECT_EQ(d.production.id, production_);
  EXPECT_EQ(d.as_of, "2026-12-01T10:00:00.000Z");
  EXPECT_EQ(d.funnel.draft, 1);
  EXPECT_EQ(d.funnel.notified, 1);
  EXPECT_EQ(d.funnel.escalated, 1);
  EXPECT_EQ(d.funnel.in_review(), 2);
  EXPECT_EQ(d.funnel.approved, 1);
  EXPECT_EQ(d.funnel.withdrawn, 1);
  EXPECT_EQ(d.funnel.rejected, 0);
  EXPECT_EQ(d.funnel.total(), 5);

  EXPECT_EQ(d.policy_name, "netflix-genai");
  ASSERT_EQ(d.risks.size(), 4u);  // the pack's categories, in its order
  EXPECT_EQ(d.risks[0].name, "talent");
  EXPECT_EQ(d.risks[0].label, "Talent and likeness");
  EXPECT_EQ(d.assessed, 3);
  EXPECT_EQ(risk(d, "talent").approved, 1);
  EXPECT_EQ(risk(d, "talent").in_review, 0);
  EXPECT_EQ(risk(d, "final_use").in_review, 1);
  EXPECT_EQ(risk(d, "final_use").approved, 1);
  EXPECT_EQ(risk(d, "final_use").unsettled, 0);
  EXPECT_EQ(risk(d, "third_party_ip").unsettled, 1);  // DATA-2, MATRIX-5 came out unknown
  EXPECT_EQ(risk(d, "third_party_ip").approved, 0);
  EXPECT_EQ(risk(d, "personal_data").in_review + risk(d, "personal_data").approved +
                risk(d, "personal_data").unsettled,
            0);
}

TEST_F(DashboardServiceTest, AgeingInWorkingDaysAndOverdue) {
  clock_.set("2026-11-16T10:00:00Z");  // Monday
  declare("second-doll.yaml", true);   // escalated: waits on legal from here
  clock_.set("2026-11-25T10:00:00Z");  // Wednesday
  declare("second-doll.yaml", true);
  clock_.set("2026-11-27T10:00:00Z");
  domain::UseCase back = declare("mood-board.yaml", true);
  clock_.set("2026-11-30T10:00:00Z");  // Monday: sent back, waits on the partner
  take(clearance_->transition(contact_, back.id, back.revision, UseCaseAction::kRequestChanges,
                              "say which set"));
  clock_.set("2026-12-02T10:00:00Z");
  declare("mood-board.yaml", true);    // notified: waits on a contact
  declare("mood-board.yaml", false);   // a draft waits on nobody
  clock_.set("2026-12-03T10:00:00Z");  // Thursday

  Ageing a = take(dashboards_->production(partner_, production_)).ageing;
  EXPECT_EQ(a.waiting, 4);
  // Wednesday 10:00 plus 2 working days is Friday: under 2.
  EXPECT_EQ(a.buckets[0].contact, 1);
  EXPECT_EQ(a.buckets[0].total(), 1);
  // Monday plus 2 is Wednesday, plus 5 next Monday: 2 to 5.
  EXPECT_EQ(a.buckets[1].partner, 1);
  EXPECT_EQ(a.buckets[1].total(), 1);
  // 25 November plus 5 is 2 December, plus 10 is 9 December: 5 to 10.
  EXPECT_EQ(a.buckets[2].legal, 1);
  EXPECT_EQ(a.buckets[2].total(), 1);
  // 16 November plus 10 is 30 November: 10 and more.
  EXPECT_EQ(a.buckets[3].legal, 1);
  EXPECT_EQ(a.buckets[3].total(), 1);
  // The two on legal are past their 2 working days; the partner's has no due date.
  EXPECT_EQ(a.overdue, 2);
  EXPECT_EQ(a.oldest_since, "2026-11-16T10:00:00.000Z");

  // A day later the contact's is still within its 2 days; the Friday after, it is overdue.
  clock_.set("2026-12-04T09:00:00Z");
  EXPECT_EQ(take(dashboards_->production(partner_, production_)).ageing.overdue, 2);
  clock_.set("2026-12-04T11:00:00Z");
  Ageing later = take(dashboards_->production(partner_, production_)).ageing;
  EXPECT_EQ(later.overdue, 3);
  EXPECT_EQ(later.buckets[1].contact, 1);
}

TEST_F(DashboardServiceTest, OutputsAndScansByDeliverable) {
  int64_t doll = declare("second-doll.yaml", true).id;
  add_asset(production_, doll, domain::AssetStatus::kProvisional);
  add_asset(production_, doll, domain::AssetStatus::kProvisional);
  add_asset(production_, doll, domain::AssetStatus::kCleared);
  int64_t theirs = declare("second-doll.yaml", true, true).id;
  add_asset(other_, theirs, domain::AssetStatus::kRejected);
  // An older scan's summary names no files: its verdict stands for each path it was given.
  finished_scan(production_, {"ep101/final.mov", "ep102/final.mov"}, true,
                R"({"files":2,"findings":1})", "2026-11-20T10:00:00Z");
  finished_scan(production_, {"ep101"}, false,
                R"({"files":1,"findings":2,"deliverables":[)"
                R"({"path":"ep101/final.mov","passes":false,"findings":2,"error":false}]})",
                "2026-11-21T10:00:00Z");
  finished_scan(other_, {"x/final.mov"}, false, R"({"files":1,"findings":9})",
                "2026-11-22T10:00:00Z");

  ProductionDashboard d = take(dashboards_->production(admin_, production_));
  EXPECT_EQ(d.outputs.provisional, 2);
  EXPECT_EQ(d.outputs.cleared, 1);
  EXPECT_EQ(d.outputs.rejected, 0);
  ASSERT_EQ(d.scans.size(), 2u);  // oldest first
  EXPECT_EQ(d.scans[0].finished_at, "2026-11-20T10:00:00Z");
  EXPECT_TRUE(d.scans[0].passes);
  EXPECT_EQ(d.scans[0].files, 2);
  EXPECT_EQ(d.scans[1].findings, 2);
  EXPECT_FALSE(d.scans[1].passes);
  ASSERT_EQ(d.deliverables.size(), 2u);  // by path
  EXPECT_EQ(d.deliverables[0].path, "ep101/final.mov");
  EXPECT_EQ(d.deliverables[0].episode, "ep101");
  EXPECT_FALSE(d.deliverables[0].passes);  // its latest scan fails it
  EXPECT_EQ(d.deliverables[0].scan_id, d.scans[1].id);
  EXPECT_TRUE(d.deliverables[0].per_file);
  EXPECT_EQ(d.deliverables[1].path, "ep102/final.mov");
  EXPECT_TRUE(d.deliverables[1].passes);
  EXPECT_FALSE(d.deliverables[1].per_file);
}

TEST_F(DashboardServiceTest, NobodySeesAnotherProduction) {
  declare("second-doll.yaml", true);
  declare("mood-board.yaml", true, true);
  finished_scan(other_, {"x/final.mov"}, false, R"({"files":1,"findings":9})",
                "2026-11-22T10:00:00Z");

  EXPECT_EQ(dashboards_->production(outsider_, production_).error().code(), Code::kNotFound);
  EXPECT_EQ(dashboards_->production(partner_, other_).error().code(), Code::kNotFound);
  EXPECT_EQ(dashboards_->production(admin_, 9999).error().code(), Code::kNotFound);

  // The organization view: a member sees their own productions only, and its totals count
  // nothing else.
  OrganizationDashboard mine = take(dashboards_->organization(contact_));
  ASSERT_EQ(mine.productions.size(), 1u);
  EXPECT_EQ(mine.productions[0].production.id, production_);
  EXPECT_EQ(mine.productions[0].in_review, 1);
  EXPECT_EQ(mine.productions[0].waiting, 1);
  EXPECT_FALSE(mine.productions[0].last_scan.has_value());
  EXPECT_EQ(mine.totals.use_cases, 1);
  EXPECT_EQ(mine.totals.failing_deliverables, 0);

  OrganizationDashboard theirs = take(dashboards_->organization(outsider_));
  ASSERT_EQ(theirs.productions.size(), 1u);
  EXPECT_EQ(theirs.productions[0].production.id, other_);
  EXPECT_EQ(theirs.totals.failing_deliverables, 1);
  ASSERT_TRUE(theirs.productions[0].last_scan.has_value());
  EXPECT_FALSE(theirs.productions[0].last_scan->passes);

  Actor nobody = contact_;
  nobody.memberships.clear();
  EXPECT_TRUE(take(dashboards_->organization(nobody)).productions.empty());

  // An admin sees every production, by title.
  OrganizationDashboard all = take(dashboards_->organization(admin_));
  ASSERT_EQ(all.productions.size(), 2u);
  EXPECT_EQ(all.productions[0].production.title, "Other");
  EXPECT_EQ(all.productions[1].production.title, "S3");
  EXPECT_EQ(all.totals.use_cases, 2);
  EXPECT_EQ(all.totals.in_review, 2);
  EXPECT_EQ(all.totals.failing_deliverables, 1);
}

}  // namespace
}  // namespace clearcut::clearance
