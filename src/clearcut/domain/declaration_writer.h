#pragma once

#include <string>

#include "clearcut/domain/declaration.h"

namespace clearcut::domain {

// The canonical JSON form of a declaration: keys sorted, no whitespace, absent facts left out,
// `unsure` written as such, known-empty lists as []. Reading it back gives an equal
// declaration (registry overrides aside: they are not part of what was declared). Its SHA-256
// is the declaration digest that written approvals are bound to.
std::string declaration_to_json(const Declaration& declaration);

// Hex SHA-256 of declaration_to_json(declaration).
std::string declaration_digest(const Declaration& declaration);

}  // namespace clearcut::domain
