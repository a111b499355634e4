#include "bench/policy_corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "clearcut/domain/declaration_reader.h"

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
  CC_TRY(domain::apply_registry(registry, &reread));
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
  try {
    YAML::Node root = YAML::Load(text);
    YAML::Node cases = root["cases"];
    if (!cases.IsSequence()) {
      return base::invalid_argument(file + ": expected `cases:` with a list of cases");
    }
    for (size_t i = 0; i < cases.size(); ++i) {
      YAML::Node c = cases[i];
      std::string name = c["name"] && c["name"].IsScalar() ? c["name"].Scalar()
                                                           : "cases[" + std::to_string(i) + "]";
      if (c["expect"] && c["expect"]["error"]) {
        ++corpus->skipped;
        continue;
      }
      std::string origin = file + ": " + name;
      std::string path_in_file = "cases[" + std::to_string(i) + "].declaration";
      auto parsed = domain::parse_declaration_node(c["declaration"], file, path_in_file);
      // A declaration the reader or the registry rejects is decided by nobody.
      if (!parsed.has_value() || !domain::apply_registry(registry, &*parsed).has_value()) {
        ++corpus->skipped;
        continue;
      }
      YAML::Emitter out;
      out << c["declaration"];
      std::string declaration_text = std::string(out.c_str()) + "\n";
      CC_TRY(check_text(*parsed, declaration_text, origin, registry));
      corpus->entries.push_back({origin, declaration_text, std::move(parsed).value()});
    }
  } catch (const YAML::Exception& e) {
    return base::invalid_argument(file + ": malformed YAML: " + e.msg);
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
    CC_TRY(domain::apply_registry(registry, &parsed));
    corpus.entries.push_back({origin, text, std::move(parsed)});
  }
  return corpus;
}

std::string default_cases_dir() {
  return std::string(CLEARCUT_SOURCE_DIR) + "/policies/tests";
}

std::string default_examples_dir() {
  return std::string(CLEARCUT_SOURCE_DIR) + "/examples";
}

}  // namespace clearcut::bench
