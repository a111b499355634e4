#include "bench/policy_corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "clearcut/domain/declaration_reader.h"
#include "clearcut/domain/internal/yaml_document.h"
#include "clearcut/domain/internal/yaml_emitter.h"

namespace clearcut::bench {
namespace {

namespace fs = std::filesystem;

// The regular files of `dir` whose extension is one of `extensions`, sorted by name.
std::vector<std::string> files_in(const std::string& dir,
                                  const std::vector<std::string>& extensions) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() &&
        std::find(extensions.begin(), extensions.end(), ext) != extensions.end()) {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

base::Result<std::string> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return base::Error(base::ErrorCode::kNotFound, "cannot open file").with_location({path, 0, 0});
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string relative(const std::string& path) {
  std::error_code ec;
  fs::path rel = fs::relative(path, CLEARCUT_SOURCE_DIR, ec);
  return ec || rel.empty() || rel.string().starts_with("..") ? path : rel.string();
}

// Checks that `text` reads as the same facts as `declaration` (registry applied to both): the
// parse benchmark decides the text, the others the parsed declaration.
base::Status check_text(const domain::Declaration& declaration, const std::string& text,
                        const std::string& origin, const domain::ToolRegistry& registry) {
  domain::Declaration reread = CC_TRY(domain::parse_declaration(text, origin));
  CC_TRY(domain::apply_registry(registry, corpus_review_period(), &reread));
  if (reread.scalars != declaration.scalars || reread.lists != declaration.lists ||
      reread.lists_known != declaration.lists_known ||
      reread.pipeline_known != declaration.pipeline_known ||
      reread.pipeline.size() != declaration.pipeline.size()) {
    return base::internal_error(origin + ": the declaration reads differently from its text");
  }
  for (size_t s = 0; s < declaration.pipeline.size(); ++s) {
    if (reread.pipeline[s].scalars != declaration.pipeline[s].scalars) {
      return base::internal_error(origin + ": a stage reads differently from its text");
    }
  }
  return {};
}

base::Status load_case_file(const std::string& path, const domain::ToolRegistry& registry,
                            PolicyCorpus* corpus) {
  std::string text = CC_TRY(slurp(path));
  std::string file = relative(path);
  using domain::internal::YamlNode;
  domain::internal::YamlDocument document =
      CC_TRY(domain::internal::YamlDocument::parse(text, file));
  std::optional<YamlNode> cases = document.root().find("cases");
  if (!cases || !cases->is_sequence()) {
    return base::invalid_argument(file + ": expected `cases:` with a list of cases");
  }
  for (size_t i = 0; i < cases->size(); ++i) {
    YamlNode c = cases->item(i);
    std::optional<YamlNode> name_node = c.find("name");
    std::string name = name_node && name_node->is_scalar() ? name_node->text()
                                                           : "cases[" + std::to_string(i) + "]";
    std::optional<YamlNode> expect = c.find("expect");
    std::optional<YamlNode> declaration = c.find("declaration");
    if ((expect && expect->find("error")) || !declaration) {
      ++corpus->skipped;
      continue;
    }
    std::string origin = file + ": " + name;
    std::string path_in_file = "cases[" + std::to_string(i) + "].declaration";
    auto parsed = domain::parse_declaration_node(*declaration, file, path_in_file);
    // A declaration the reader or the registry rejects is decided by nobody.
    if (!parsed.has_value() ||
        !domain::apply_registry(registry, corpus_review_period(), &*parsed).has_value()) {
      ++corpus->skipped;
      continue;
    }
    std::string declaration_text = domain::internal::emit_yaml(*declaration);
    CC_TRY(check_text(*parsed, declaration_text, origin, registry));
    corpus->entries.push_back({origin, declaration_text, std::move(parsed).value()});
  }
  return {};
}

}  // namespace

base::Result<PolicyCorpus> PolicyCorpus::load(const std::string& cases_dir,
                                              const std::string& examples_dir,
                                              const domain::ToolRegistry& registry) {
  PolicyCorpus corpus;
  for (const std::string& path : files_in(cases_dir, {".yaml"})) {
    CC_TRY(load_case_file(path, registry, &corpus));
  }
  for (const std::string& path : files_in(examples_dir, {".yaml", ".yml", ".json"})) {
    std::string text = CC_TRY(slurp(path));
    std::string origin = relative(path);
    domain::Declaration parsed = CC_TRY(domain::parse_declaration(text, origin));
    CC_TRY(domain::apply_registry(registry, corpus_review_period(), &parsed));
    corpus.entries.push_back({origin, text, std::move(parsed)});
  }
  return corpus;
}

domain::ReviewPeriod corpus_review_period() {
  using namespace std::chrono;
  return {domain::kDefaultToolReviewMonths, sys_days(year(2026) / December / 1)};
}

std::string default_cases_dir() {
  return std::string(CLEARCUT_SOURCE_DIR) + "/policies/tests";
}

std::string default_examples_dir() {
  return std::string(CLEARCUT_SOURCE_DIR) + "/examples";
}

}  // namespace clearcut::bench
