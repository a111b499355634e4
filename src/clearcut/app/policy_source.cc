#include "clearcut/app/policy_source.h"

#include "clearcut/base/embedded.h"
#include "clearcut/base/file.h"

namespace clearcut::app {
namespace {

base::Result<std::string> embedded_or_file(const std::string& path, std::string_view fallback,
                                           std::string* name) {
  if (path.empty()) {
    std::optional<std::string_view> data = base::find_embedded(fallback);
    if (!data) {
      return base::internal_error("the default " + std::string(fallback) +
                                  " is not embedded in this binary");
    }
    *name = "(built-in) " + std::string(fallback);
    return std::string(*data);
  }
  *name = path;
  return base::read_file(path);
}

}  // namespace

base::Result<std::shared_ptr<const policy::PolicyPack>> load_policy_pack(const std::string& path) {
  std::string name;
  std::string text = CC_TRY(embedded_or_file(path, kDefaultPackPath, &name));
  policy::PolicyPack pack = CC_TRY(policy::PolicyPack::parse(text, name));
  return std::make_shared<const policy::PolicyPack>(std::move(pack));
}

base::Result<domain::ToolRegistry> load_tool_registry(const std::string& path) {
  std::string name;
  std::string text = CC_TRY(embedded_or_file(path, kDefaultToolsPath, &name));
  return domain::parse_tool_registry(text, name);
}

}  // namespace clearcut::app
