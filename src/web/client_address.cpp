#include "web/client_address.h"

#include <boost/asio/ip/address.hpp>

#include <algorithm>

namespace nysol::web {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool Trusted(const std::string& address, const std::vector<std::string>& trusted_proxies) {
  return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) != trusted_proxies.end();
}

}  // namespace

std::optional<std::string> CanonicalAddress(std::string_view text) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies) {
  std::string client = peer;
  if (forwarded_for.empty() || !Trusted(client, trusted_proxies)) return client;
  while (Trusted(client, trusted_proxies)) {
    if (forwarded_for.empty()) return client;
    size_t comma = forwarded_for.rfind(',');
    std::string_view entry = Trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    auto address = CanonicalAddress(entry);
    if (!address) return client;
    client = std::move(*address);
  }
  return client;
}

}  // namespace nysol::web
