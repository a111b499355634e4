#include "clearcut/audit/utf8.h"

#include <string>

#include <gtest/gtest.h>

namespace clearcut::audit {
namespace {

TEST(AuditUtf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ASCII"));
  EXPECT_TRUE(is_valid_utf8("\xe2\x80\x94 em dash, \xc3\xa9, \xf0\x9f\x8e\xac clapperboard"));
  EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  size_t pos = 0;
  char32_t c = 0;
  ASSERT_TRUE(next_code_point("\xe2\x80\x94", pos, c));
  EXPECT_EQ(c, U'\u2014');
  EXPECT_EQ(pos, 3u);
}

TEST(AuditUtf8Test, RejectsIllFormedSequences) {
  for (const char* bad : {"\xff", "\x80", "\xc0\x80", "\xe0\x80\x80", "\xed\xa0\x80",
                          "\xf4\x90\x80\x80", "\xe2\x80", "\xc3", "\xf8\x88\x80\x80\x80"}) {
    EXPECT_FALSE(is_valid_utf8(bad)) << bad;
  }
}

TEST(AuditUtf8Test, UnicodeSpaces) {
  for (char32_t space : {U' ', U'\t', U'\n', U'\u00a0', U'\u1680', U'\u2003', U'\u2028', U'\u202f',
                         U'\u3000', U'\u0085'}) {
    EXPECT_TRUE(is_unicode_space(space)) << static_cast<uint32_t>(space);
  }
  for (char32_t other : {U'a', U'+', U'\u200b', U'\u2014', U'\u00ad'}) {
    EXPECT_FALSE(is_unicode_space(other)) << static_cast<uint32_t>(other);
  }
}

}  // namespace
}  // namespace clearcut::audit
