// Who is on the other end of a request, for the access log and the login log. Behind nginx every connection
// comes from the proxy; the proxy names the client in X-Forwarded-For, and only a proxy the operator named
// (`serve --trusted-proxy`) is believed, since anyone else can send the header too.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nysol::web {

// `text` as an IP address in its canonical form (an IPv4-mapped IPv6 address as IPv4), or nullopt.
std::optional<std::string> CanonicalAddress(std::string_view text);

// The client's address: `peer` (the connection's own, canonical) unless it is one of `trusted_proxies`
// (canonical) and the request says X-Forwarded-For. Then the list is read from its right end, where the
// nearest proxy appended what it saw, past every trusted proxy, to the first address that is not one. An
// entry that is not an address stops the reading: the last proxy passed is the client as far as anyone
// trusted can tell.
std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies);

}  // namespace nysol::web
