// Runs the real server on a loopback port in a background thread and talks to it over plain POSIX sockets.
#include "web/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace nysol::web {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// A port that was free a moment ago: bind to port 0 and let the kernel choose.
uint16_t FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    return 0;
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// A blocking HTTP/1.1 client just good enough for these tests. Reads time out after 5 s.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  bool Send(const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Reads one response; with `head`, the body is not read whatever Content-Length says.
  std::optional<Response> Read(bool head = false) {
    std::size_t end;
    while ((end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return std::nullopt;
    }
    std::string head_text = pending_.substr(0, end);
    pending_.erase(0, end + 4);
    Response response;
    std::size_t line_end = head_text.find("\r\n");
    std::string status_line = head_text.substr(0, line_end);
    if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) return std::nullopt;
    response.status = std::stoi(status_line.substr(9, 3));
    while (line_end != std::string::npos) {
      std::size_t start = line_end + 2;
      line_end = head_text.find("\r\n", start);
      std::string line =
          head_text.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::size_t value_start = line.find_first_not_of(' ', colon + 1);
      response.headers[name] = value_start == std::string::npos ? "" : line.substr(value_start);
    }
    if (head) return response;
    std::size_t length =
        std::stoul(response.headers.count("content-length") ? response.headers["content-length"] : "0");
    while (pending_.size() < length) {
      if (!Fill()) return std::nullopt;
    }
    response.body = pending_.substr(0, length);
    pending_.erase(0, length);
    return response;
  }

  // True when the server closes the connection (with nothing more to read) within the read timeout.
  bool ClosedByPeer() {
    if (!pending_.empty()) return false;
    char c;
    ssize_t n = ::recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  bool Fill() {
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    pending_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string pending_;
};

// Serve() in a background thread, stopped through ServerOptions::stop.
class TestServer {
 public:
  TestServer(ServerOptions options, RequestHandler handler)
      : TestServer(std::move(options), AsyncRequestHandler([handler = std::move(handler)](
                                           const HttpRequest& request, Respond respond) { respond(handler(request)); })) {}
  TestServer(ServerOptions options, AsyncRequestHandler handler) {
    options.address = "127.0.0.1";
    options.port = FreePort();
    options.stop = stop_.get_token();
    port_ = options.port;
    std::promise<void> ready;
    std::future<void> ready_future = ready.get_future();
    thread_ = std::thread([this, options, handler = std::move(handler), ready = std::move(ready)]() mutable {
      exit_code_ = Serve(options, handler, [&ready] { ready.set_value(); });
    });
    // A Serve that fails to listen drops the promise: get() then throws.
    ready_ok_ = ready_future.wait_for(10s) == std::future_status::ready;
    try {
      if (ready_ok_) ready_future.get();
    } catch (const std::future_error&) {
      ready_ok_ = false;
    }
  }
  ~TestServer() {
    stop_.request_stop();
    thread_.join();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  bool ready() const { return ready_ok_; }
  uint16_t port() const { return port_; }
  int Stop() {
    stop_.request_stop();
    thread_.join();
    thread_ = std::thread([] {});
    return exit_code_;
  }

 private:
  std::stop_source stop_;
  std::thread thread_;
  uint16_t port_ = 0;
  bool ready_ok_ = false;
  std::atomic<int> exit_code_{-1};
};

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() {
    ServerOptions options;
    options.threads = 2;
    options.body_limit = 1024;
    options.idle_timeout_seconds = 5;
    server_.emplace(options, [this](const HttpRequest& request) { return Handle(request); });
  }

  HttpResponse Handle(const HttpRequest& request) {
    ++calls_;
    if (request.path == "/throw") throw std::runtime_error("handler exploded");
    json query = json::object();
    for (const auto& [key, value] : request.query) query[key] = value;
    HttpResponse response;
    response.body = json{{"method", request.method},
                         {"path", request.path},
                         {"target", request.target},
                         {"query", query},
                         {"body", request.body},
                         {"x_test", request.Header("x-test")},
                         {"remote", request.remote_address}}
                        .dump();
    response.headers.emplace_back("X-Extra", "1");
    if (request.path == "/bad-header") response.headers.emplace_back("Bad-Header", "a\r\nInjected: yes");
    return response;
  }

  uint16_t port() const { return server_->port(); }

  std::optional<TestServer> server_;
  std::atomic<int> calls_{0};
};

TEST_F(HttpServerTest, Get) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send("GET /hello%20there?a=1&b=x+y HTTP/1.1\r\nHost: t\r\nX-Test: yes\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->headers["content-type"], "application/json");
  EXPECT_EQ(response->headers["server"], "nysol");
  EXPECT_EQ(response->headers["x-extra"], "1");
  json body = json::parse(response->body);
  EXPECT_EQ(body["method"], "GET");
  EXPECT_EQ(body["path"], "/hello there");
  EXPECT_EQ(body["target"], "/hello%20there?a=1&b=x+y");
  EXPECT_EQ(body["query"], (json{{"a", "1"}, {"b", "x y"}}));
  EXPECT_EQ(body["x_test"], "yes");
  EXPECT_EQ(body["remote"], "127.0.0.1");
  EXPECT_EQ(body["body"], "");
}

TEST_F(HttpServerTest, HeaderWithLineBreakIsDropped) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  testing::internal::CaptureStderr();
  ASSERT_TRUE(client.Send("GET /bad-header HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto response = client.Read();
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("dropped response header 'Bad-Header'"), std::string::npos) << err;
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->headers["x-extra"], "1");
  EXPECT_EQ(response->headers.count("bad-header"), 0u);
  EXPECT_EQ(response->headers.count("injected"), 0u);
}

TEST_F(HttpServerTest, PostWithBody) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  ASSERT_TRUE(
      client.Send("POST /items HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                  "Content-Length: 13\r\n\r\n{\"name\":\"x\"}\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  json body = json::parse(response->body);
  EXPECT_EQ(body["method"], "POST");
  EXPECT_EQ(body["path"], "/items");
  EXPECT_EQ(body["body"], "{\"name\":\"x\"}\n");
}

TEST_F(HttpServerTest, ChunkedPostWithBody) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  ASSERT_TRUE(
      client.Send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(json::parse(response->body)["body"], "abcde");
}

TEST_F(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  ASSERT_TRUE(client.Send("GET /one HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto first = client.Read();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->headers.count("connection"), 0u);  // HTTP/1.1 keep-alive is the default
  ASSERT_TRUE(client.Send("POST /two HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"));
  auto second = client.Read();
  ASSERT_TRUE(second);
  EXPECT_EQ(json::parse(first->body)["path"], "/one");
  EXPECT_EQ(json::parse(second->body)["path"], "/two");
  EXPECT_EQ(json::parse(second->body)["body"], "abc");
  EXPECT_EQ(calls_, 2);
}

TEST_F(HttpServerTest, PipelinedRequestsAnsweredInOrder) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  ASSERT_TRUE(client.Send("GET /a HTTP/1.1\r\nHost: t\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto first = client.Read();
  auto second = client.Read();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(json::parse(first->body)["path"], "/a");
  EXPECT_EQ(json::parse(second->body)["path"], "/b");
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  ASSERT_TRUE(client.Send("GET /bye HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->headers["connection"], "close");
  EXPECT_TRUE(client.ClosedByPeer());
}

TEST_F(HttpServerTest, Http10ClosesByDefault) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  ASSERT_TRUE(client.Send("GET /old HTTP/1.0\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(client.ClosedByPeer());
}

TEST_F(HttpServerTest, HeadGetsLengthButNoBody) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  ASSERT_TRUE(client.Send("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto head = client.Read(/*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_GT(std::stoul(head->headers["content-length"]), 0u);
  // Had a body been sent, it would now be mistaken for the next response.
  ASSERT_TRUE(client.Send("GET /after HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto next = client.Read();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(json::parse(next->body)["path"], "/after");
  EXPECT_EQ(calls_, 2);
}

TEST_F(HttpServerTest, BodyOverLimitGets413WithoutCallingHandler) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  ASSERT_TRUE(
      client.Send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: 2000\r\n\r\n" + std::string(2000, 'x')));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->headers["content-type"], "application/json");
  EXPECT_EQ(json::parse(response->body)["error"]["code"], "payload_too_large");
  EXPECT_TRUE(client.ClosedByPeer());
  EXPECT_EQ(calls_, 0);
}

TEST_F(HttpServerTest, ChunkedBodyOverLimitGets413WithoutCallingHandler) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  std::string chunk(600, 'y');
  ASSERT_TRUE(
      client.Send("POST /big HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "258\r\n" +
                  chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(json::parse(response->body)["error"]["code"], "payload_too_large");
  EXPECT_EQ(calls_, 0);
}

TEST_F(HttpServerTest, BodyAtLimitIsAccepted) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  ASSERT_TRUE(
      client.Send("POST /max HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\n\r\n" + std::string(1024, 'z')));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(json::parse(response->body)["body"], std::string(1024, 'z'));
}

TEST_F(HttpServerTest, ExpectContinueGets100First) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  ASSERT_TRUE(
      client.Send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = client.Read(/*head=*/true);
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.Send("hi"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(json::parse(response->body)["body"], "hi");
}

TEST_F(HttpServerTest, MalformedTargetGets400WithoutCallingHandler) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  ASSERT_TRUE(client.Send("GET /a%zz HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  json body = json::parse(response->body);
  EXPECT_EQ(body["error"]["code"], "invalid_input");
  EXPECT_EQ(body["error"]["message"], "malformed request target");
  EXPECT_EQ(calls_, 0);
  // The connection stays usable.
  ASSERT_TRUE(client.Send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto next = client.Read();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST_F(HttpServerTest, AbsoluteFormTargetGets400) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  ASSERT_TRUE(client.Send("GET http://t/x HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(calls_, 0);
}

TEST_F(HttpServerTest, GarbageGets400AndClose) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  ASSERT_TRUE(client.Send("HELLO\x01 there\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(json::parse(response->body)["error"]["code"], "invalid_input");
  EXPECT_TRUE(client.ClosedByPeer());
  EXPECT_EQ(calls_, 0);
}

TEST_F(HttpServerTest, HugeHeaderGets431) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(20000, 'h') + "\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(calls_, 0);
}

TEST_F(HttpServerTest, HandlerExceptionGives500) {
  ASSERT_TRUE(server_->ready());
  Client client(port());
  testing::internal::CaptureStderr();
  ASSERT_TRUE(client.Send("GET /throw HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto response = client.Read();
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("serve: handler failed on GET /throw: handler exploded"), std::string::npos) << err;
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  json body = json::parse(response->body);
  EXPECT_EQ(body["error"]["code"], "internal");
  EXPECT_EQ(body["error"]["message"], "internal error");
  // The connection survives the exception.
  ASSERT_TRUE(client.Send("GET /fine HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto next = client.Read();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST_F(HttpServerTest, ManyConcurrentConnections) {
  ASSERT_TRUE(server_->ready());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([this, &ok] {
      Client client(port());
      for (int j = 0; j < 20; ++j) {
        if (!client.Send("GET /c HTTP/1.1\r\nHost: t\r\n\r\n")) return;
        auto response = client.Read();
        if (response && response->status == 200) ++ok;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ok, 160);
}

TEST_F(HttpServerTest, StopMakesServeReturnZero) {
  ASSERT_TRUE(server_->ready());
  Client idle(port());  // an open keep-alive connection must not hold the server up
  ASSERT_TRUE(idle.connected());
  EXPECT_EQ(server_->Stop(), 0);
  Client late(port());
  EXPECT_FALSE(late.connected());
}

TEST(HttpServerIdleTest, IdleConnectionIsClosed) {
  ServerOptions options;
  options.threads = 1;
  options.idle_timeout_seconds = 1;
  TestServer server(options, [](const HttpRequest&) { return HttpResponse{}; });
  ASSERT_TRUE(server.ready());
  Client client(server.port());
  ASSERT_TRUE(client.connected());
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.ClosedByPeer());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
}

// The security headers: on every response, whatever the handler returns, and the handler cannot replace
// them. Strict-Transport-Security only when the server runs behind TLS.
constexpr const char* kCsp =
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

void ExpectSecurityHeaders(Response& response) {
  EXPECT_EQ(response.headers["content-security-policy"], kCsp);
  EXPECT_EQ(response.headers["x-content-type-options"], "nosniff");
  EXPECT_EQ(response.headers["referrer-policy"], "no-referrer");
  EXPECT_EQ(response.headers["x-frame-options"], "DENY");
  EXPECT_EQ(response.headers["cache-control"], "no-store");
}

TEST(HttpServerSecurityHeadersTest, EveryResponseCarriesThemAndHandlersCannotReplaceThem) {
  ServerOptions options;
  options.threads = 1;
  options.body_limit = 16;
  TestServer server(options, [](const HttpRequest& request) {
    HttpResponse response;
    if (request.path == "/override") {
      response.headers.emplace_back("Content-Security-Policy", "default-src *");
      response.headers.emplace_back("X-Frame-Options", "ALLOWALL");
      response.headers.emplace_back("Strict-Transport-Security", "max-age=0");
    }
    return response;
  });
  ASSERT_TRUE(server.ready());
  Client client(server.port());
  ASSERT_TRUE(client.Send("GET /override HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto overridden = client.Read();
  ASSERT_TRUE(overridden);
  ExpectSecurityHeaders(*overridden);
  EXPECT_EQ(overridden->headers.count("strict-transport-security"), 0u);
  // One the server answers itself, before any handler.
  ASSERT_TRUE(client.Send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n"));
  auto too_large = client.Read();
  ASSERT_TRUE(too_large);
  EXPECT_EQ(too_large->status, 413);
  ExpectSecurityHeaders(*too_large);
}

TEST(HttpServerSecurityHeadersTest, BehindTlsEveryResponseAsksForHttpsOnly) {
  ServerOptions options;
  options.threads = 1;
  options.strict_transport_security = true;
  TestServer server(options, [](const HttpRequest&) { return HttpResponse{}; });
  ASSERT_TRUE(server.ready());
  Client client(server.port());
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->headers["strict-transport-security"], "max-age=31536000");
  ExpectSecurityHeaders(*response);
  ASSERT_TRUE(client.Send("GET /%zz HTTP/1.1\r\nHost: t\r\n\r\n"));  // 400 before the handler
  auto malformed = client.Read();
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400);
  EXPECT_EQ(malformed->headers["strict-transport-security"], "max-age=31536000");
}

TEST(HttpServerNoContentTest, A204HasNeitherBodyNorContentLengthAndKeepsTheConnection) {
  ServerOptions options;
  options.threads = 1;
  TestServer server(options, [](const HttpRequest& request) {
    HttpResponse response;
    response.status = request.path == "/none" ? 204 : 200;
    response.body = "{\"ignored\":true}";
    return response;
  });
  ASSERT_TRUE(server.ready());
  Client client(server.port());
  ASSERT_TRUE(client.Send("DELETE /none HTTP/1.1\r\nHost: t\r\n\r\nGET /some HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto none = client.Read(/*head=*/true);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 204);
  EXPECT_EQ(none->headers.count("content-length"), 0u);
  auto some = client.Read();  // would read the 204's body here if it had sent one
  ASSERT_TRUE(some);
  EXPECT_EQ(some->status, 200);
  EXPECT_EQ(some->body, "{\"ignored\":true}");
}

TEST(HttpServerListenTest, PortInUseReturnsOne) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);

  ServerOptions options;
  options.port = ntohs(address.sin_port);
  bool ready = false;
  testing::internal::CaptureStderr();
  int code = Serve(
      options, [](const HttpRequest&) { return HttpResponse{}; }, [&ready] { ready = true; });
  std::string err = testing::internal::GetCapturedStderr();
  ::close(fd);
  EXPECT_EQ(code, 1);
  EXPECT_FALSE(ready);
  EXPECT_NE(err.find("serve: cannot listen on 127.0.0.1:" + std::to_string(options.port) + ": "),
            std::string::npos)
      << err;
}

// A handler may answer after it has returned, from another thread (the pipeline does once the access log has
// committed): meanwhile the server's only thread serves other connections.
TEST(HttpServerAsyncTest, AnAnswerFromAnotherThreadLaterDoesNotHoldTheThread) {
  std::mutex mutex;
  std::optional<Respond> waiting;  // the answer to /later, not given yet
  std::vector<std::thread> answerers;
  ServerOptions options;
  options.threads = 1;
  options.idle_timeout_seconds = 5;
  {
    TestServer server(options, AsyncRequestHandler([&](const HttpRequest& request, Respond respond) {
      std::lock_guard lock(mutex);
      if (request.path == "/later") {
        waiting = std::move(respond);
        return;
      }
      HttpResponse now;
      now.body = "now";
      respond(std::move(now));
      if (waiting) {  // /later is answered from another thread, after /now
        answerers.emplace_back([later = std::move(*waiting)] {
          std::this_thread::sleep_for(20ms);
          HttpResponse response;
          response.body = "later";
          later(std::move(response));
        });
        waiting.reset();
      }
    }));
    ASSERT_TRUE(server.ready());
    Client first(server.port());
    Client second(server.port());
    ASSERT_TRUE(first.connected() && second.connected());
    ASSERT_TRUE(first.Send("GET /later HTTP/1.1\r\nHost: t\r\n\r\n"));
    for (int i = 0; i < 200; ++i) {  // until the server has taken /later
      {
        std::lock_guard lock(mutex);
        if (waiting) break;
      }
      std::this_thread::sleep_for(5ms);
    }
    ASSERT_TRUE(second.Send("GET /now HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto now = second.Read();
    ASSERT_TRUE(now);
    EXPECT_EQ(now->body, "now");
    auto later = first.Read();
    ASSERT_TRUE(later);
    EXPECT_EQ(later->status, 200);
    EXPECT_EQ(later->body, "later");
  }
  for (auto& t : answerers) t.join();
}

TEST(HttpServerListenTest, BadAddressReturnsOne) {
  ServerOptions options;
  options.address = "not-an-address";
  testing::internal::CaptureStderr();
  int code = Serve(options, [](const HttpRequest&) { return HttpResponse{}; });
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(code, 1);
  EXPECT_NE(err.find("serve: cannot listen on not-an-address:"), std::string::npos) << err;
}

}  // namespace
}  // namespace nysol::web
