#include "clearcut/provenance/c2pa/actions_assertion.h"

namespace clearcut::c2pa {

using base::Error;
using base::Result;

namespace {

Error malformed(std::string message) {
  return base::invalid_argument(std::move(message));
}

}  // namespace

CborValue Action::to_cbor(int version) const {
  CborValue map = CborValue::map();
  map.insert("action", CborValue::text(action));
  if (when) {
    map.insert("when", CborValue::text(*when));
  }
  if (software_agent) {
    if (version >= 2) {
      CborValue agent = CborValue::map();
      agent.insert("name", CborValue::text(*software_agent));
      if (software_agent_version) {
        agent.insert("version", CborValue::text(*software_agent_version));
      }
      map.insert("softwareAgent", std::move(agent));
    } else {
      map.insert("softwareAgent", CborValue::text(*software_agent));
    }
  }
  if (digital_source_type) {
    map.insert("digitalSourceType", CborValue::text(*digital_source_type));
  }
  CborValue params = parameters.is_map() ? parameters : CborValue::map();
  if (!ingredients.empty() && params.find("ingredients") == nullptr) {
    CborValue list = CborValue::array();
    for (const HashedUri& uri : ingredients) {
      list.push_back(uri.to_cbor());
    }
    params.insert("ingredients", std::move(list));
  }
  if (params.size() > 0) {
    map.insert("parameters", std::move(params));
  }
  return map;
}

Result<ActionsAssertion> ActionsAssertion::from_cbor(const CborValue& value, int version) {
  const CborValue* list = value.is_map() ? value.find("actions") : nullptr;
  if (list == nullptr || !list->is_array()) {
    return malformed("actions assertion has no actions array");
  }
  ActionsAssertion out;
  out.version = version;
  for (const CborValue& item : list->items()) {
    if (!item.is_map()) {
      return malformed("action is not a map");
    }
    Action action;
    auto name = item.find_text("action");
    if (!name) {
      return malformed("action has no \"action\" label");
    }
    action.action = std::move(*name);
    action.when = item.find_text("when");
    if (const CborValue* agent = item.find("softwareAgent")) {
      if (agent->is_text()) {
        action.software_agent = agent->text_value();
      } else if (agent->is_map()) {
        action.software_agent = agent->find_text("name");
        action.software_agent_version = agent->find_text("version");
      }
    }
    action.digital_source_type = item.find_text("digitalSourceType");
    if (const CborValue* params = item.find("parameters"); params != nullptr && params->is_map()) {
      action.parameters = *params;
      if (!action.digital_source_type) {
        // Some writers put it among the parameters.
        action.digital_source_type = params->find_text("digitalSourceType");
      }
      if (const CborValue* list_of = params->find("ingredients");
          list_of != nullptr && list_of->is_array()) {
        for (const CborValue& uri : list_of->items()) {
          if (auto parsed = HashedUri::from_cbor(uri)) {
            action.ingredients.push_back(std::move(parsed).value());
          }
        }
      }
      if (auto single = find_hashed_uri(*params, "ingredient")) {
        action.ingredients.push_back(std::move(*single));
      }
    }
    out.actions.push_back(std::move(action));
  }
  return out;
}

CborValue ActionsAssertion::to_cbor() const {
  CborValue list = CborValue::array();
  for (const Action& action : actions) {
    list.push_back(action.to_cbor(version));
  }
  CborValue map = CborValue::map();
  map.insert("actions", std::move(list));
  return map;
}

}  // namespace clearcut::c2pa
