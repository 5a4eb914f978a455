// A small HTTP/1.1 server on Boost.Beast with C++20 coroutines. Keep-alive connections cost no thread while
// idle; `threads` threads run one io_context. Every request, whatever its path, goes to the one handler given
// to Serve, so nothing can bypass the request pipeline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "web/http_message.h"

namespace nysol::web {

using RequestHandler = std::function<HttpResponse(const HttpRequest&)>;
// A handler that may answer later, from any thread: it calls `respond` exactly once, before or after it
// returns. Meanwhile its I/O thread serves other connections; the request stays valid until `respond`.
using Respond = std::function<void(HttpResponse)>;
using AsyncRequestHandler = std::function<void(const HttpRequest&, Respond)>;

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 2;
  std::size_t body_limit = 1 << 20;  // larger bodies get 413 before the handler runs
  int idle_timeout_seconds = 30;     // a connection silent this long is closed; <= 0: never
  // Behind a TLS-terminating proxy (`serve --secure-cookies`): every response tells the browser to use HTTPS
  // only for this host from now on (Strict-Transport-Security).
  bool strict_transport_security = false;
  // Proxies (canonical addresses, web/client_address.h) whose X-Forwarded-For names the client.
  std::vector<std::string> trusted_proxies;
  // Stops the server from another thread, as SIGINT/SIGTERM do: keep a std::stop_source, pass
  // `source.get_token()` here and call `source.request_stop()`. Serve then returns 0. A stop requested
  // before Serve starts makes it return right after on_ready. The default token never stops.
  std::stop_token stop;
};

// Runs until SIGINT, SIGTERM or `options.stop`, then returns 0. Stopping closes the listening socket and the
// open connections; a handler already running finishes, but its response is not sent. Returns 1 when the
// address cannot be bound (message on stderr). `on_ready` runs on the calling thread once the socket
// listens (prints the URL, say). `handler` runs on up to `threads` threads at once, so it must be
// thread-safe; it blocks its I/O thread while it runs, so slow work belongs elsewhere.
int Serve(const ServerOptions& options, RequestHandler handler, std::function<void()> on_ready = {});
// The same with a handler that may answer later (the pipeline, which answers once the access log has
// committed). Serve returns only after every handler has responded.
int Serve(const ServerOptions& options, AsyncRequestHandler handler, std::function<void()> on_ready = {});

}  // namespace nysol::web
