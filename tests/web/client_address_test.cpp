// X-Forwarded-For is believed from the proxies the operator named, and only as far as they reach.
#include "web/client_address.h"

#include <gtest/gtest.h>

namespace nysol::web {
namespace {

const std::vector<std::string> kNginx = {"127.0.0.1"};

TEST(ClientAddressTest, WithoutATrustedProxyTheConnectionsOwnAddressCounts) {
  EXPECT_EQ(ClientAddress("10.0.0.5", "", {}), "10.0.0.5");
  EXPECT_EQ(ClientAddress("10.0.0.5", "192.0.2.7", {}), "10.0.0.5") << "a header anyone can send";
  EXPECT_EQ(ClientAddress("10.0.0.5", "192.0.2.7", kNginx), "10.0.0.5") << "not from the proxy";
}

TEST(ClientAddressTest, TheTrustedProxyNamesTheClient) {
  EXPECT_EQ(ClientAddress("127.0.0.1", "192.0.2.7", kNginx), "192.0.2.7");
  EXPECT_EQ(ClientAddress("127.0.0.1", " 192.0.2.7 ", kNginx), "192.0.2.7");
  EXPECT_EQ(ClientAddress("127.0.0.1", "", kNginx), "127.0.0.1") << "no header: the proxy itself";
  EXPECT_EQ(ClientAddress("127.0.0.1", "2001:db8::1", kNginx), "2001:db8::1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "::ffff:192.0.2.7", kNginx), "192.0.2.7");
}

TEST(ClientAddressTest, OnlyTheRightmostUntrustedEntryCounts) {
  // The client wrote "203.0.113.9" itself; nginx appended the address it saw.
  EXPECT_EQ(ClientAddress("127.0.0.1", "203.0.113.9, 192.0.2.7", kNginx), "192.0.2.7");
  // Two trusted proxies in a row: read past both.
  std::vector<std::string> two = {"127.0.0.1", "10.1.1.1"};
  EXPECT_EQ(ClientAddress("127.0.0.1", "203.0.113.9, 192.0.2.7, 10.1.1.1", two), "192.0.2.7");
  EXPECT_EQ(ClientAddress("127.0.0.1", "10.1.1.1", two), "10.1.1.1") << "only proxies: the farthest one";
}

TEST(ClientAddressTest, AnEntryThatIsNoAddressStopsTheReading) {
  EXPECT_EQ(ClientAddress("127.0.0.1", "unknown", kNginx), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "192.0.2.7, nonsense", kNginx), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "192.0.2.7:5555", kNginx), "127.0.0.1");
  std::vector<std::string> two = {"127.0.0.1", "10.1.1.1"};
  EXPECT_EQ(ClientAddress("127.0.0.1", "junk, 10.1.1.1", two), "10.1.1.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", ",", kNginx), "127.0.0.1");
}

TEST(ClientAddressTest, AddressesAreComparedInCanonicalForm) {
  EXPECT_EQ(CanonicalAddress("::ffff:127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(CanonicalAddress("2001:DB8:0:0::1"), "2001:db8::1");
  EXPECT_EQ(CanonicalAddress("localhost"), std::nullopt);
  EXPECT_EQ(CanonicalAddress(""), std::nullopt);
  EXPECT_EQ(CanonicalAddress("300.1.1.1"), std::nullopt);
}

}  // namespace
}  // namespace nysol::web
