#include <gtest/gtest.h>

#include "clearcut/store/store.h"

namespace clearcut::store {
namespace {

TEST(Store, Placeholder) {}

}  // namespace
}  // namespace clearcut::store
