#pragma once

#include <optional>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/cbor.h"
#include "clearcut/provenance/c2pa/hashed_uri.h"

namespace clearcut::c2pa {

// One action of `c2pa.actions` / `c2pa.actions.v2` (C2PA §18.15).
struct Action {
  std::string action;
  std::optional<std::string> digital_source_type;
  std::optional<std::string> software_agent;          // text, or the name of a generator-info map
  std::optional<std::string> software_agent_version;  // v2: the generator-info map's version
  std::optional<std::string> when;
  std::vector<HashedUri> ingredients;  // parameters.ingredients / parameters.ingredient
  CborValue parameters;

  CborValue to_cbor(int version) const;
};

struct ActionsAssertion {
  int version = 2;
  std::vector<Action> actions;

  static base::Result<ActionsAssertion> from_cbor(const CborValue& value, int version);
  CborValue to_cbor() const;
};

}  // namespace clearcut::c2pa
