#include "clearcut/domain/approval_scope.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace clearcut::domain {
namespace {

using nlohmann::json;

std::vector<std::string> strings_in(const json& list) {
  std::vector<std::string> out;
  if (list.is_array()) {
    for (const json& item : list) {
      if (item.is_string()) {
        out.push_back(item.get<std::string>());
      }
    }
  }
  return out;
}

ApprovalScope scope_of(const json& object, std::string text) {
  ApprovalScope scope;
  scope.json = std::move(text);
  auto final_use = object.find("final_use");
  scope.final_use = final_use != object.end() && final_use->is_boolean() && final_use->get<bool>();
  if (auto deliverables = object.find("deliverables"); deliverables != object.end()) {
    scope.deliverables = strings_in(*deliverables);
  }
  auto outputs = object.find("outputs");
  if (outputs != object.end() && outputs->is_array() && !outputs->empty()) {
    scope.outputs.emplace();
    for (const json& output : *outputs) {
      if (output.is_number_integer()) {
        scope.outputs->push_back(std::to_string(output.get<int64_t>()));
      } else if (output.is_string()) {
        scope.outputs->push_back(output.get<std::string>());
      }
    }
  }
  return scope;
}

}  // namespace

bool ApprovalScope::clears_output(int64_t asset_id) const {
  if (!final_use) {
    return false;
  }
  return !outputs.has_value() ||
         std::find(outputs->begin(), outputs->end(), std::to_string(asset_id)) != outputs->end();
}

base::Result<ApprovalScope> parse_approval_scope(std::string_view text) {
  json scope = json::parse(text, nullptr, false);
  if (scope.is_discarded() || !scope.is_object()) {
    return base::invalid_argument("expected a JSON object").with_field("scope");
  }
  auto names = [](const json& list) {
    return list.is_array() && std::all_of(list.begin(), list.end(), [](const json& item) {
             return item.is_string() && !item.get_ref<const std::string&>().empty();
           });
  };
  for (const auto& [key, value] : scope.items()) {
    bool ok = (key == "final_use" && value.is_boolean()) ||
              ((key == "deliverables" || key == "outputs") && names(value));
    if (!ok) {
      return base::invalid_argument("unknown or mistyped scope field '" + key +
                                    "'; expected final_use (boolean), deliverables, outputs "
                                    "(lists of names)")
          .with_field("scope." + key);
    }
  }
  return scope_of(scope, scope.dump());
}

ApprovalScope read_approval_scope(std::string_view text) {
  json scope = json::parse(text, nullptr, false);
  if (scope.is_discarded() || !scope.is_object()) {
    ApprovalScope none;
    none.json = std::string(text);
    return none;
  }
  return scope_of(scope, std::string(text));
}

}  // namespace clearcut::domain
