// A client of the small TCP key-value store that rank 0 (or the launcher) hosts in JavaScript,
// as torch.distributed's TCPStore is hosted for env:// rendezvous. Gloo only needs set/get/wait.
//
// Wire format (all integers little-endian u32):
//   set:  'S' keylen key datalen data   -> reply 'K'
//   get:  'G' keylen key                -> reply datalen data (the server holds the reply until
//                                          the key exists)
#pragma once

#include <gloo/rendezvous/store.h>

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

namespace trainkit {

class TcpStore : public gloo::rendezvous::Store {
 public:
  TcpStore(const std::string& host, int port, std::chrono::milliseconds timeout);
  ~TcpStore() override;

  void set(const std::string& key, const std::vector<char>& data) override;
  std::vector<char> get(const std::string& key) override;
  void wait(const std::vector<std::string>& keys) override;
  void wait(const std::vector<std::string>& keys, const std::chrono::milliseconds& timeout) override;

 private:
  void sendAll(const char* p, size_t n);
  void recvAll(char* p, size_t n, std::chrono::steady_clock::time_point deadline);
  void sendKey(char op, const std::string& key);
  std::vector<char> getWithin(const std::string& key, std::chrono::milliseconds timeout);

  int fd_ = -1;
  std::string where_;
  std::chrono::milliseconds timeout_;
  std::mutex mu_;
};

}  // namespace trainkit
