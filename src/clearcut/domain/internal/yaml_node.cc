#include "clearcut/domain/internal/yaml_node.h"

#include "clearcut/base/result.h"

namespace clearcut::domain::internal {

size_t YamlNode::size() const {
  const YamlNodeData& d = data();
  return d.kind == YamlKind::kMap ? d.child_count / 2 : d.child_count;
}

YamlNode YamlNode::child(size_t i) const {
  const YamlNodeData& d = data();
  CC_CHECK(i < d.child_count);
  return {storage_, storage_->children[d.first_child + i]};
}

YamlNode YamlNode::item(size_t i) const {
  CC_CHECK(is_sequence());
  return child(i);
}

YamlNode YamlNode::key(size_t i) const {
  CC_CHECK(is_map());
  return child(2 * i);
}

YamlNode YamlNode::value(size_t i) const {
  CC_CHECK(is_map());
  return child(2 * i + 1);
}

std::optional<YamlNode> YamlNode::find(std::string_view name) const {
  if (!is_map()) {
    return std::nullopt;
  }
  for (size_t i = 0; i < size(); ++i) {
    YamlNode k = key(i);
    if (k.is_scalar() && k.text() == name) {
      return value(i);
    }
  }
  return std::nullopt;
}

}  // namespace clearcut::domain::internal
