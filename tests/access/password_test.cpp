// Passwords: Argon2id hashes in libsodium's string form that verify exactly their own password, the rules for
// a new password, and the random passwords the demo hands out.
#include "access/password.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace nysol::access {
namespace {

constexpr const char* kPassword = "korrekt häst batteri häftklammer";

TEST(PasswordTest, HashIsArgon2idWithItsCostAndVerifiesOnlyItsPassword) {
  auto hash = HashPassword(kPassword, kTestPasswordCost);
  ASSERT_TRUE(hash.ok()) << hash.status().message();
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=8,t=1,p=1$", 0), 0u) << *hash;
  EXPECT_EQ(hash->find(kPassword), std::string::npos);

  EXPECT_TRUE(VerifyPassword(*hash, kPassword));
  std::string last_off = kPassword;
  last_off.back() = 'X';
  std::string first_off = kPassword;
  first_off.front() = 'K';
  for (const std::string& wrong : {last_off, first_off, std::string(kPassword) + " ",
                                   std::string(kPassword).substr(1), std::string(), std::string("korrekt")}) {
    EXPECT_FALSE(VerifyPassword(*hash, wrong)) << "'" << wrong << "'";
  }
}

TEST(PasswordTest, SamePasswordHashesDifferentlyEachTime) {
  auto first = HashPassword(kPassword, kTestPasswordCost);
  auto second = HashPassword(kPassword, kTestPasswordCost);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_NE(*first, *second);  // a random salt each time: equal passwords do not show as equal hashes
  EXPECT_TRUE(VerifyPassword(*first, kPassword));
  EXPECT_TRUE(VerifyPassword(*second, kPassword));
}

TEST(PasswordTest, InteractiveCostIsRecordedAndOlderCostsAskForARehash) {
  auto strong = HashPassword(kPassword, kInteractivePasswordCost);
  auto weak = HashPassword(kPassword, kTestPasswordCost);
  ASSERT_TRUE(strong.ok());
  ASSERT_TRUE(weak.ok());
  EXPECT_EQ(strong->rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << *strong;
  EXPECT_TRUE(VerifyPassword(*strong, kPassword));
  EXPECT_FALSE(NeedsRehash(*strong, kInteractivePasswordCost));
  EXPECT_TRUE(NeedsRehash(*weak, kInteractivePasswordCost));
  EXPECT_TRUE(NeedsRehash("not a hash", kInteractivePasswordCost));
}

TEST(PasswordTest, MalformedStoredHashesNeverVerify) {
  auto hash = HashPassword(kPassword, kTestPasswordCost);
  ASSERT_TRUE(hash.ok());
  std::string with_nul = *hash;
  with_nul.insert(10, 1, '\0');
  const std::string malformed[] = {
      "",
      kPassword,                          // a password stored by mistake is not a hash of itself
      hash->substr(0, hash->size() - 1),  // truncated
      with_nul,
      *hash + std::string(200, 'a'),  // longer than any libsodium hash string
      std::string("$argon2id$v=19$m=8,t=1,p=1$$"),
  };
  for (const auto& stored : malformed) {
    EXPECT_FALSE(VerifyPassword(stored, kPassword)) << stored;
  }
  EXPECT_TRUE(VerifyPassword(*hash, kPassword));
}

TEST(NewPasswordTest, AtLeastTwelveCharactersCountedAsCharactersNotBytes) {
  EXPECT_TRUE(CheckNewPassword("abcdefghijkl").ok());  // 12
  Status short_one = CheckNewPassword("abcdefghijk");  // 11
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(short_one.message().find("12"), std::string::npos) << short_one.message();
  EXPECT_NE(short_one.message().find("11"), std::string::npos) << short_one.message();
  EXPECT_EQ(short_one.message().find("abcdefghijk"), std::string::npos) << "the message repeats the password";

  // Eleven Swedish letters are 22 bytes but only 11 characters; twelve are enough.
  EXPECT_FALSE(CheckNewPassword("åäöåäöåäöåä").ok());
  EXPECT_TRUE(CheckNewPassword("åäöåäöåäöåäö").ok());
  EXPECT_FALSE(CheckNewPassword("").ok());
}

TEST(NewPasswordTest, ControlCharactersBadUtf8AndOverlongInputAreRefused) {
  const std::string refused[] = {
      "abcdefghijkl\n",
      "abcdef\tghijkl",
      std::string("abcdefghijkl") + '\0',
      "abcdefghijkl\x7f",
      "abcdefghijkl\xc3",          // a cut-off two-byte sequence
      "abcdefghijkl\xc0\xaf",      // an overlong '/'
      "abcdefghijkl\xed\xa0\x80",  // a UTF-16 surrogate
      "abcdefghijkl\xff",
      std::string(kMaxPasswordBytes + 1, 'a'),
  };
  for (const auto& password : refused) {
    Status status = CheckNewPassword(password);
    EXPECT_FALSE(status.ok()) << password;
    EXPECT_EQ(status.code(), ErrorCode::kInvalidInput);
  }
  EXPECT_TRUE(CheckNewPassword(std::string(kMaxPasswordBytes, 'a')).ok());
  EXPECT_TRUE(CheckNewPassword("abcdef ghijkl €").ok());  // spaces and non-ASCII are fine
}

TEST(GeneratePasswordTest, TwentyUnambiguousCharactersThatPassTheRulesAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string password = GeneratePassword();
    EXPECT_EQ(password.size(), 20u);
    EXPECT_TRUE(CheckNewPassword(password).ok()) << password;
    EXPECT_EQ(password.find_first_of("0O1lI"), std::string::npos) << password;
    seen.insert(password);
  }
  EXPECT_EQ(seen.size(), 50u);
}

}  // namespace
}  // namespace nysol::access
