#include "clearcut/domain/tool_registry.h"

#include <set>

#include "clearcut/domain/internal/yaml_input.h"
#include "clearcut/domain/validation.h"

namespace clearcut::domain {
namespace {

using internal::InputNode;

base::Result<Tool> read_tool(const InputNode& in) {
  CC_TRY(internal::check_map(
      in, {"id", "name", "vendor", "enterprise_agreement", "trains_on_data", "retains_data",
           "terms_reviewed", "training_data", "indemnified", "license_tier", "reviewed_on"}));
  Tool tool;
  for (size_t i = 0; i < in.node.size(); ++i) {
    const std::string& key = in.node.key(i).text();
    InputNode value = in.child(in.node.value(i), key);
    if (const FieldSpec* field = find_field(FieldScope::kStage, key);
        field != nullptr && field->kind == FieldKind::kTri) {
      tool.scalars[field->slot] = CC_TRY(internal::read_tri(value));
      continue;
    }
    if (const FieldSpec* field = find_field(FieldScope::kStage, key);
        field != nullptr && field->kind == FieldKind::kEnum) {
      std::string word = CC_TRY(internal::read_text(value));
      std::optional<int> index = vocabulary_index(*field, word);
      if (!index) {
        return value.error("expected " + vocabulary_text(*field) + ", got '" + word + "'");
      }
      tool.scalars[field->slot] = static_cast<int8_t>(*index);
      continue;
    }
    std::string text = CC_TRY(internal::read_text(value));
    if (key == "id") {
      tool.id = text;
    } else if (key == "name") {
      tool.name = text;
    } else if (key == "vendor") {
      tool.vendor = text;
    } else if (key == "license_tier") {
      tool.license_tier = text;
    } else {
      if (!parse_iso_date(text)) {
        return value.error("expected a date, YYYY-MM-DD (quote it in YAML)");
      }
      tool.reviewed_on = text;
    }
  }
  if (tool.id.empty()) {
    return in.child(in.node, "id").error("missing; every tool needs an id");
  }
  return tool;
}

}  // namespace

const Tool* ToolRegistry::find(std::string_view id) const {
  for (const Tool& tool : tools_) {
    if (tool.id == id) {
      return &tool;
    }
  }
  return nullptr;
}

base::Result<ToolRegistry> parse_tool_registry(std::string_view text, const std::string& file) {
  internal::YamlDocument document = CC_TRY(internal::load_yaml(text, file));
  InputNode in{document.root(), &file, ""};
  CC_TRY(internal::check_map(in, {"tools"}));
  std::optional<internal::YamlNode> tools_node = in.node.find("tools");
  if (!tools_node) {
    return in.child(in.node, "tools").error("missing; expected a list of tools");
  }
  InputNode list = in.child(*tools_node, "tools");
  if (!list.node.is_sequence()) {
    return list.error("expected a list of tools");
  }
  std::vector<Tool> tools;
  std::set<std::string> ids;
  for (size_t i = 0; i < list.node.size(); ++i) {
    InputNode item = list.element(list.node.item(i), i);
    Tool tool = CC_TRY(read_tool(item));
    if (!ids.insert(tool.id).second) {
      return item.child(*item.node.find("id"), "id").error("duplicate tool id '" + tool.id + "'");
    }
    tools.push_back(std::move(tool));
  }
  return ToolRegistry(std::move(tools));
}

bool review_vouches_for(uint8_t stage_slot) {
  const FieldSpec& field = scalar_field(FieldScope::kStage, stage_slot);
  return field.path != "enterprise_agreement";
}

std::string review_vouched_fields() {
  std::vector<std::string_view> names;
  for (const FieldSpec& field : stage_fields()) {
    if (field.kind != FieldKind::kText && review_vouches_for(field.slot)) {
      names.push_back(field.path);
    }
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    out += i == 0 ? "" : (i + 1 == names.size() ? " and " : ", ");
    out += names[i];
  }
  return out;
}

std::string stale_review(const Tool& tool, const ReviewPeriod& period) {
  std::optional<std::chrono::sys_days> reviewed = parse_iso_date(tool.reviewed_on);
  if (!reviewed) {
    return tool.reviewed_on.empty() ? "it has no reviewed_on"
                                    : "its reviewed_on '" + tool.reviewed_on + "' is not a date";
  }
  std::chrono::year_month_day until =
      std::chrono::year_month_day(*reviewed) + std::chrono::months(period.months);
  if (!until.ok()) {  // 31 March + 1 month: the review lasts through the month's last day
    until = until.year() / until.month() / std::chrono::last;
  }
  if (period.today <= std::chrono::sys_days(until)) {
    return "";
  }
  return "reviewed_on " + tool.reviewed_on + " is older than the pack's " +
         std::to_string(period.months) + "-month review period";
}

base::Status apply_registry(const ToolRegistry& registry, const ReviewPeriod& period,
                            Declaration* declaration) {
  for (size_t i = 0; i < declaration->pipeline.size(); ++i) {
    Stage& stage = declaration->pipeline[i];
    if (stage.tool.empty()) {
      continue;
    }
    const Tool* tool = registry.find(stage.tool);
    if (tool == nullptr) {
      std::string known;
      for (const Tool& t : registry.tools()) {
        known += known.empty() ? "" : ", ";
        known += t.id;
      }
      return base::invalid_argument("tool '" + stage.tool + "' is not in the tool registry" +
                                    (known.empty() ? "" : "; known tools: " + known))
          .with_field("pipeline[" + std::to_string(i) + "].tool")
          .with_location({declaration->source_file, stage.tool_line, stage.tool_column});
    }
    std::string stale = stale_review(*tool, period);
    const bool reviewed = stale.empty();
    if (!reviewed) {
      declaration->stale_reviews.push_back({static_cast<int>(i), std::move(stale)});
    }
    for (size_t slot = 0; slot < stage.scalars.size(); ++slot) {
      int8_t registered = tool->scalars[slot];
      if (!reviewed && review_vouches_for(static_cast<uint8_t>(slot))) {
        stage.scalars[slot] = kUnsure;  // the stale note says why; not an override
        continue;
      }
      if (registered == kAbsent) {
        continue;  // the registry is silent; an inline fact stands
      }
      int8_t declared = stage.scalars[slot];
      if (declared != kAbsent && declared != registered) {
        declaration->overrides.push_back(
            {static_cast<int>(i), static_cast<uint8_t>(slot), declared, registered});
      }
      stage.scalars[slot] = registered;
    }
  }
  return {};
}

}  // namespace clearcut::domain
