// The only file in the tree that knows Boost.Beast. One io_context, `threads` threads, one coroutine per
// connection on its own strand; the acceptor, the signal set and the stop request share another strand.
#include "web/http_server.h"

#include <utility>  // before any Boost.Asio header: Boost 1.74's awaitable.hpp uses std::exchange (asio#944)

#include <array>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <exception>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "web/client_address.h"
#include "web/url.h"

// g++ 12 at -O1/-O3 and with sanitizers inlines Asio 1.74's coroutine-frame recycling allocator and then
// reports its paired ::operator new / class operator delete as mismatched. A false positive; -Werror would
// break those builds.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace nysol::web {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

constexpr std::uint32_t kHeaderLimit = 16 * 1024;
// After an error response on a half-read request, the rest of the request is read and dropped for this long
// (or this many bytes) before closing, so that the close does not reset the connection before the client
// has read the response.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 1 << 20;
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// The handlers that have not responded yet: Serve waits for them before the io_context they resume on goes.
class Unanswered {
 public:
  void Add() {
    std::lock_guard lock(mutex_);
    ++count_;
  }
  void Remove() {
    std::lock_guard lock(mutex_);
    if (--count_ == 0) none_.notify_all();
  }
  void WaitForNone() {
    std::unique_lock lock(mutex_);
    none_.wait(lock, [this] { return count_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable none_;
  int count_ = 0;  // GUARDED_BY(mutex_)
};

// Everything a connection needs; lives in Serve's frame for longer than the io_context.
struct Context {
  const ServerOptions& options;
  const AsyncRequestHandler& handler;
  net::io_context& ioc;
  Unanswered& unanswered;
};

auto Redirect(beast::error_code& ec) { return net::redirect_error(net::use_awaitable, ec); }

HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message) {
  HttpResponse response;
  response.status = status;
  response.body = "{\"error\":{\"code\":\"";
  response.body += code;
  response.body += "\",\"message\":\"";
  response.body += message;  // constant texts without quotes or backslashes
  response.body += "\"}}";
  return response;
}

void SetTimeout(beast::tcp_stream& stream, int seconds) {
  if (seconds > 0) {
    stream.expires_after(std::chrono::seconds(seconds));
  } else {
    stream.expires_never();
  }
}

bool IsTokenChar(unsigned char c) {
  constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return std::isalnum(c) || kSymbols.find(static_cast<char>(c)) != std::string_view::npos;
}

// A header the handler may set: a token name, a value without CR, LF or NUL, and not one the server owns.
bool IsAllowedExtraHeader(const std::string& name, const std::string& value) {
  if (name.empty()) return false;
  std::string lower;
  for (unsigned char c : name) {
    if (!IsTokenChar(c)) return false;
    lower.push_back(static_cast<char>(std::tolower(c)));
  }
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return lower != "content-length" && lower != "transfer-encoding" && lower != "connection" &&
         lower != "content-type" && lower != "x-content-type-options" && lower != "referrer-policy" &&
         lower != "content-security-policy" && lower != "cache-control" && lower != "x-frame-options" &&
         lower != "strict-transport-security";
}

std::string RemoteAddress(const beast::tcp_stream& stream) {
  beast::error_code ec;
  tcp::endpoint endpoint = stream.socket().remote_endpoint(ec);
  if (ec) return std::string();
  net::ip::address address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

HttpRequest ToHttpRequest(http::request<http::string_body>& message, const std::string& remote_address) {
  HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto value = field.value();
    auto [it, inserted] = request.headers.emplace(name, std::string(value.data(), value.size()));
    if (!inserted) {  // repeated header: combine as RFC 9110 5.3 (cookies as RFC 6265 5.4)
      it->second += name == "cookie" ? "; " : ", ";
      it->second.append(value.data(), value.size());
    }
  }
  request.body = std::move(message.body());
  request.remote_address = remote_address;
  return request;
}

// Where a handler's response meets the connection waiting for it, whichever comes first.
struct Rendezvous {
  std::mutex mutex;
  bool answered = false;                     // GUARDED_BY(mutex): later answers are dropped
  std::optional<HttpResponse> response;      // GUARDED_BY(mutex): the answer, before the connection waits
  std::function<void(HttpResponse)> resume;  // GUARDED_BY(mutex): set once the connection waits
};

// Hands the waiting connection's completion to the rendezvous: resumed on the connection's own executor,
// whichever thread answers.
struct AwaitResponse {
  std::shared_ptr<Rendezvous> rendezvous;
  net::any_io_executor executor;

  template <typename Handler>
  void operator()(Handler handler) {
    auto waiting = std::make_shared<Handler>(std::move(handler));
    std::function<void(HttpResponse)> resume = [waiting, executor = executor](HttpResponse response) {
      net::post(executor, [waiting, response = std::move(response)]() mutable { (*waiting)(std::move(response)); });
    };
    std::unique_lock lock(rendezvous->mutex);
    if (rendezvous->response) {  // answered since the connection looked
      HttpResponse response = std::move(*rendezvous->response);
      rendezvous->response.reset();
      lock.unlock();
      resume(std::move(response));
    } else {
      rendezvous->resume = std::move(resume);
    }
  }
};

// Runs the handler and waits, without holding the thread, for its response. A handler that answers before it
// returns (most do: only reads of personal data wait for the access log) costs no suspension.
// No temporaries with destructors in the co_await expressions below: g++ 12 destroys such temporaries twice.
net::awaitable<HttpResponse> CallHandler(const Context& context, const HttpRequest& request) {
  auto rendezvous = std::make_shared<Rendezvous>();
  Unanswered& unanswered = context.unanswered;
  unanswered.Add();
  Respond respond = [rendezvous, &unanswered](HttpResponse response) {
    std::function<void(HttpResponse)> resume;
    {
      std::lock_guard lock(rendezvous->mutex);
      if (rendezvous->answered) return;
      rendezvous->answered = true;
      if (rendezvous->resume) {
        resume = std::exchange(rendezvous->resume, nullptr);
      } else {
        rendezvous->response = std::move(response);
      }
    }
    if (resume) resume(std::move(response));
    unanswered.Remove();
  };
  try {
    context.handler(request, respond);
  } catch (const std::exception& e) {
    std::cerr << "serve: handler failed on " << request.method << ' ' << request.target << ": " << e.what()
              << '\n';
    respond(ErrorResponse(500, "internal", "internal error"));
  } catch (...) {
    std::cerr << "serve: handler failed on " << request.method << ' ' << request.target
              << ": unknown exception\n";
    respond(ErrorResponse(500, "internal", "internal error"));
  }
  std::optional<HttpResponse> answered;
  {
    std::lock_guard lock(rendezvous->mutex);
    answered = std::move(rendezvous->response);
    rendezvous->response.reset();
  }
  if (answered) co_return std::move(*answered);
  auto executor = co_await net::this_coro::executor;
  AwaitResponse initiation{rendezvous, executor};
  HttpResponse response = co_await net::async_initiate<decltype(net::use_awaitable), void(HttpResponse)>(
      std::move(initiation), net::use_awaitable);
  co_return response;
}

http::response<http::string_body> ToBeastResponse(HttpResponse response, unsigned version, bool keep_alive,
                                                  bool head, const ServerOptions& options) {
  if (response.status < 200 || response.status > 599) {
    std::cerr << "serve: handler returned status " << response.status << "; sending 500\n";
    response = ErrorResponse(500, "internal", "internal error");
  }
  http::response<http::string_body> out(static_cast<http::status>(response.status), version);
  out.set(http::field::server, "nysol");
  out.set(http::field::content_type, response.content_type);
  // On every response, also the ones the server answers itself (400, 413, 431) without the pipeline.
  out.set("X-Content-Type-Options", "nosniff");
  out.set("Referrer-Policy", "no-referrer");
  // Nothing but this origin's own resources; no framing (clickjacking), no form posts or <base> elsewhere.
  out.set("Content-Security-Policy",
          "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
  out.set("X-Frame-Options", "DENY");  // frame-ancestors for browsers that predate it
  out.set(http::field::cache_control, response.cache_control);
  // Only behind TLS: sent over plain HTTP it would be ignored, and on localhost it would pin HTTPS there.
  if (options.strict_transport_security) out.set("Strict-Transport-Security", "max-age=31536000");
  for (const auto& [name, value] : response.headers) {
    if (IsAllowedExtraHeader(name, value)) {
      out.insert(name, value);
    } else {
      std::cerr << "serve: dropped response header '" << name << "'\n";
    }
  }
  if (response.status == 204 || response.status == 304) {
    response.body.clear();  // RFC 9110 8.6: these have neither a body nor a Content-Length
  } else {
    out.content_length(response.body.size());
  }
  if (!head) out.body() = std::move(response.body);  // HEAD: the length of the body, but no body
  out.keep_alive(keep_alive);
  return out;
}

// Sends FIN, then reads and drops what the client still sends, for a bounded time and size.
net::awaitable<void> LingeringClose(beast::tcp_stream& stream) {
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.expires_after(kLingerTime);
  std::array<char, 4096> sink;
  std::size_t total = 0;
  while (!ec && total < kLingerBytes) {
    total += co_await stream.async_read_some(net::buffer(sink), Redirect(ec));
  }
}

// Answers a request that could not be read in full, then closes.
net::awaitable<void> RejectAndClose(beast::tcp_stream& stream, const ServerOptions& options, unsigned version,
                                    int status, std::string_view code, std::string_view message) {
  auto response = ToBeastResponse(ErrorResponse(status, code, message), version, /*keep_alive=*/false,
                                  /*head=*/false, options);
  beast::error_code ec;
  stream.expires_after(kLingerTime);
  co_await http::async_write(stream, response, Redirect(ec));
  if (!ec) co_await LingeringClose(stream);
}

net::awaitable<void> ServeConnection(beast::tcp_stream& stream, const Context& context) {
  const ServerOptions& options = context.options;
  const std::string remote_address = RemoteAddress(stream);
  beast::flat_buffer buffer;
  while (true) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(static_cast<std::uint64_t>(options.body_limit));
    beast::error_code ec;

    SetTimeout(stream, options.idle_timeout_seconds);
    co_await http::async_read_header(stream, buffer, parser, Redirect(ec));
    if (!ec && !parser.is_done()) {
      if (parser.get().version() >= 11 && beast::iequals(parser.get()[http::field::expect], "100-continue")) {
        co_await net::async_write(stream, net::buffer(kContinue.data(), kContinue.size()), Redirect(ec));
      }
      if (!ec) co_await http::async_read(stream, buffer, parser, Redirect(ec));
    }
    if (ec) {
      unsigned version = parser.is_header_done() ? parser.get().version() : 11;
      if (ec == http::error::body_limit) {
        co_await RejectAndClose(stream, options, version, 413, "payload_too_large", "request body too large");
      } else if (ec == http::error::header_limit) {
        co_await RejectAndClose(stream, options, version, 431, "invalid_input", "request header too large");
      } else if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
                 ec != http::error::end_of_stream && ec != http::error::partial_message) {
        co_await RejectAndClose(stream, options, version, 400, "invalid_input", "malformed request");
      }
      co_return;  // also: the client closed, reset, or stayed silent too long
    }

    http::request<http::string_body>& message = parser.get();
    const unsigned version = message.version();
    const bool keep_alive = message.keep_alive();
    const bool head = message.method() == http::verb::head;
    HttpRequest request = ToHttpRequest(message, remote_address);
    if (!options.trusted_proxies.empty()) {
      request.remote_address = ClientAddress(remote_address, request.Header("x-forwarded-for"), options.trusted_proxies);
    }
    HttpResponse response;
    if (ParseTarget(request.target, &request.path, &request.query)) {
      response = co_await CallHandler(context, request);
    } else {
      response = ErrorResponse(400, "invalid_input", "malformed request target");
    }

    auto out = ToBeastResponse(std::move(response), version, keep_alive, head, options);
    SetTimeout(stream, options.idle_timeout_seconds);
    co_await http::async_write(stream, out, Redirect(ec));
    if (ec) co_return;
    if (!keep_alive) {
      stream.socket().shutdown(tcp::socket::shutdown_send, ec);
      co_return;
    }
  }
}

net::awaitable<void> Session(tcp::socket socket, const Context& context) {
  try {
    beast::tcp_stream stream(std::move(socket));
    co_await ServeConnection(stream, context);
  } catch (const std::exception& e) {
    std::cerr << "serve: connection failed: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "serve: connection failed: unknown exception\n";
  }
}

void LogUnexpected(std::exception_ptr error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    std::cerr << "serve: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "serve: unknown exception\n";
  }
}

net::awaitable<void> Accept(tcp::acceptor& acceptor, const Context& context) {
  while (acceptor.is_open()) {
    beast::error_code ec;
    tcp::socket socket(net::make_strand(context.ioc));
    co_await acceptor.async_accept(socket, Redirect(ec));
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) co_return;
      std::cerr << "serve: accept: " << ec.message() << '\n';  // e.g. out of file descriptors: back off
      net::steady_timer timer(acceptor.get_executor(), kAcceptRetryDelay);
      co_await timer.async_wait(Redirect(ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto executor = socket.get_executor();
    net::co_spawn(executor, Session(std::move(socket), context), LogUnexpected);
  }
}

}  // namespace

int Serve(const ServerOptions& options, RequestHandler handler, std::function<void()> on_ready) {
  return Serve(
      options,
      AsyncRequestHandler([handler = std::move(handler)](const HttpRequest& request, Respond respond) {
        respond(handler(request));
      }),
      std::move(on_ready));
}

int Serve(const ServerOptions& options, AsyncRequestHandler handler, std::function<void()> on_ready) {
  const std::string where = options.address + ":" + std::to_string(options.port);
  auto fail = [&where](const std::string& reason) {
    std::cerr << "serve: cannot listen on " << where << ": " << reason << '\n';
    return 1;
  };

  Unanswered unanswered;  // outlives the io_context: handlers still answering resume on it
  net::io_context ioc(options.threads > 0 ? options.threads : 1);
  Context context{options, handler, ioc, unanswered};
  auto control = net::make_strand(ioc);  // acceptor, signals and stop

  beast::error_code ec;
  net::ip::address address = net::ip::make_address(options.address, ec);
  if (ec) return fail("invalid address");
  tcp::endpoint endpoint(address, options.port);
  tcp::acceptor acceptor(control);
  if (acceptor.open(endpoint.protocol(), ec); ec) return fail(ec.message());
  if (acceptor.set_option(net::socket_base::reuse_address(true), ec); ec) return fail(ec.message());
  if (acceptor.bind(endpoint, ec); ec) return fail(ec.message());
  if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec) return fail(ec.message());

  net::signal_set signals(control, SIGINT, SIGTERM);
  auto stop = [&acceptor, &signals, &ioc] {
    beast::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    ioc.stop();
  };
  signals.async_wait([stop](const beast::error_code& error, int /*signal*/) {
    if (!error) stop();
  });
  std::stop_callback on_stop(options.stop, [&control, stop] { net::post(control, stop); });

  net::co_spawn(control, Accept(acceptor, context), LogUnexpected);
  if (on_ready) on_ready();

  auto run = [&ioc] {
    while (true) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {  // handlers catch their own; this is a last resort
        std::cerr << "serve: " << e.what() << '\n';
      }
    }
  };
  std::vector<std::thread> workers;
  for (int i = 1; i < options.threads; ++i) workers.emplace_back(run);
  run();
  for (std::thread& worker : workers) worker.join();
  // A response still being logged resumes its (stopped) connection through the io_context: wait for it, so
  // that it is not posted to an io_context already gone. The connection itself is not resumed.
  unanswered.WaitForNone();
  return 0;
}

}  // namespace nysol::web
