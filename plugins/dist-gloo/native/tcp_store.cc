#include "tcp_store.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace trainkit {

namespace {

std::runtime_error storeError(const std::string& where, const std::string& what) {
  return std::runtime_error("rendezvous store " + where + ": " + what);
}

void putU32(std::vector<char>& out, uint32_t v) {
  for (int i = 0; i < 4; i++) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

TcpStore::TcpStore(const std::string& host, int port, std::chrono::milliseconds timeout)
    : where_(host + ":" + std::to_string(port)), timeout_(timeout) {
  // rank 0 may still be starting its server: retry until the timeout
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last = "no attempt";
  while (true) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    const int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res);
    if (rc != 0) {
      last = std::string("cannot resolve host: ") + gai_strerror(rc);
    } else {
      for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
          int one = 1;
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
          fd_ = fd;
          break;
        }
        last = std::strerror(errno);
        close(fd);
      }
      freeaddrinfo(res);
    }
    if (fd_ >= 0) return;
    if (std::chrono::steady_clock::now() >= deadline) {
      throw storeError(where_, "cannot connect within " + std::to_string(timeout.count()) + " ms (" + last + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

TcpStore::~TcpStore() {
  if (fd_ >= 0) close(fd_);
}

void TcpStore::sendAll(const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd_, p, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw storeError(where_, std::string("send failed: ") + std::strerror(errno));
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
}

void TcpStore::recvAll(char* p, size_t n, std::chrono::steady_clock::time_point deadline) {
  while (n > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) throw storeError(where_, "timed out waiting for the other ranks");
    pollfd pfd{fd_, POLLIN, 0};
    const int pr = poll(&pfd, 1, static_cast<int>(left));
    if (pr < 0 && errno == EINTR) continue;
    if (pr <= 0) continue;
    ssize_t r = recv(fd_, p, n, 0);
    if (r == 0) throw storeError(where_, "connection closed by the store (did rank 0 exit?)");
    if (r < 0) {
      if (errno == EINTR) continue;
      throw storeError(where_, std::string("recv failed: ") + std::strerror(errno));
    }
    p += r;
    n -= static_cast<size_t>(r);
  }
}

void TcpStore::sendKey(char op, const std::string& key) {
  std::vector<char> msg;
  msg.push_back(op);
  putU32(msg, static_cast<uint32_t>(key.size()));
  msg.insert(msg.end(), key.begin(), key.end());
  sendAll(msg.data(), msg.size());
}

void TcpStore::set(const std::string& key, const std::vector<char>& data) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<char> msg;
  msg.push_back('S');
  putU32(msg, static_cast<uint32_t>(key.size()));
  msg.insert(msg.end(), key.begin(), key.end());
  putU32(msg, static_cast<uint32_t>(data.size()));
  msg.insert(msg.end(), data.begin(), data.end());
  sendAll(msg.data(), msg.size());
  char ack = 0;
  recvAll(&ack, 1, std::chrono::steady_clock::now() + timeout_);
  if (ack != 'K') throw storeError(where_, "unexpected reply to set");
}

std::vector<char> TcpStore::getWithin(const std::string& key, std::chrono::milliseconds timeout) {
  std::lock_guard<std::mutex> lock(mu_);
  sendKey('G', key);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  unsigned char len[4];
  recvAll(reinterpret_cast<char*>(len), 4, deadline);
  const uint32_t n = len[0] | (len[1] << 8) | (len[2] << 16) | (static_cast<uint32_t>(len[3]) << 24);
  std::vector<char> data(n);
  if (n > 0) recvAll(data.data(), n, deadline);
  return data;
}

std::vector<char> TcpStore::get(const std::string& key) {
  return getWithin(key, timeout_);
}

void TcpStore::wait(const std::vector<std::string>& keys) {
  wait(keys, timeout_);
}

void TcpStore::wait(const std::vector<std::string>& keys, const std::chrono::milliseconds& timeout) {
  for (const auto& k : keys) getWithin(k, timeout);
}

}  // namespace trainkit
