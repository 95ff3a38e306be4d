// N-API binding to Gloo: a process group (TCP transport, rendezvous through a store) and its
// collectives on typed arrays. Every blocking call runs on a libuv worker thread (AsyncWorker)
// and settles a promise, so the JS thread keeps serving timers, signals and the store server.
#include <napi.h>

#include <gloo/allgather.h>
#include <gloo/config.h>
#include <gloo/allreduce.h>
#include <gloo/barrier.h>
#include <gloo/broadcast.h>
#include <gloo/gather.h>
#include <gloo/math.h>
#include <gloo/rendezvous/context.h>
#include <gloo/rendezvous/file_store.h>
#include <gloo/rendezvous/prefix_store.h>
#include <gloo/rendezvous/redis_store.h>
#include <gloo/transport/tcp/device.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "tcp_store.h"

namespace {

using Millis = std::chrono::milliseconds;

enum class DType { F32, I32, U8, F64 };

struct View {
  void* data = nullptr;
  size_t count = 0;
  DType dtype = DType::F32;
};

View viewOf(const Napi::Env& env, const Napi::Value& v, const char* what) {
  if (!v.IsTypedArray()) throw Napi::TypeError::New(env, std::string(what) + " must be a Float32Array, Float64Array, Int32Array or Uint8Array");
  auto ta = v.As<Napi::TypedArray>();
  View out;
  out.count = ta.ElementLength();
  out.data = static_cast<char*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
  switch (ta.TypedArrayType()) {
    case napi_float32_array: out.dtype = DType::F32; break;
    case napi_float64_array: out.dtype = DType::F64; break;
    case napi_int32_array: out.dtype = DType::I32; break;
    case napi_uint8_array: out.dtype = DType::U8; break;
    default: throw Napi::TypeError::New(env, std::string(what) + " must be a Float32Array, Float64Array, Int32Array or Uint8Array");
  }
  return out;
}

template <typename T>
gloo::AllreduceOptions::Func reduceFn(const std::string& op) {
  using Fn = void (*)(void*, const void*, const void*, size_t);
  if (op == "max") return static_cast<Fn>(&gloo::max<T>);
  if (op == "min") return static_cast<Fn>(&gloo::min<T>);
  if (op == "product") return static_cast<Fn>(&gloo::product<T>);
  return static_cast<Fn>(&gloo::sum<T>);
}

// Runs `fn` on a worker thread; resolves with undefined or rejects with gloo's message.
class Job : public Napi::AsyncWorker {
 public:
  Job(Napi::Env env, std::function<void()> fn, std::vector<Napi::Value> keep)
      : Napi::AsyncWorker(env), fn_(std::move(fn)), deferred_(Napi::Promise::Deferred::New(env)) {
    for (auto& v : keep) refs_.push_back(Napi::Persistent(v.As<Napi::Object>()));
  }
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      fn_();
    } catch (const std::exception& e) {
      SetError(e.what());
    } catch (...) {
      SetError("unknown native error");
    }
  }
  void OnOK() override { deferred_.Resolve(Env().Undefined()); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  std::function<void()> fn_;
  Napi::Promise::Deferred deferred_;
  std::vector<Napi::ObjectReference> refs_;
};

class ProcessGroup : public Napi::ObjectWrap<ProcessGroup> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "ProcessGroup",
                       {InstanceMethod("connect", &ProcessGroup::Connect), InstanceMethod("allreduce", &ProcessGroup::Allreduce),
                        InstanceMethod("broadcast", &ProcessGroup::Broadcast), InstanceMethod("allgather", &ProcessGroup::Allgather),
                        InstanceMethod("gather", &ProcessGroup::Gather), InstanceMethod("barrier", &ProcessGroup::Barrier),
                        InstanceMethod("close", &ProcessGroup::Close)});
  }

  explicit ProcessGroup(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ProcessGroup>(info) {}

 private:
  Napi::Value Run(const Napi::CallbackInfo& info, std::function<void()> fn, std::vector<Napi::Value> keep) {
    auto* job = new Job(info.Env(), std::move(fn), std::move(keep));
    auto p = job->Promise();
    job->Queue();
    return p;
  }

  std::shared_ptr<gloo::Context> ctx(const Napi::Env& env) {
    if (!ctx_) throw Napi::Error::New(env, "the process group is not connected (or was closed)");
    return ctx_;
  }

  // connect({rank, size, store: {type, host, port, path}, prefix, hostname, timeoutMs})
  Napi::Value Connect(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    auto o = info[0].As<Napi::Object>();
    const int rank = o.Get("rank").As<Napi::Number>().Int32Value();
    const int size = o.Get("size").As<Napi::Number>().Int32Value();
    const auto timeout = Millis(o.Get("timeoutMs").As<Napi::Number>().Int64Value());
    const std::string prefix = o.Get("prefix").As<Napi::String>().Utf8Value();
    const std::string hostname = o.Get("hostname").As<Napi::String>().Utf8Value();
    auto s = o.Get("store").As<Napi::Object>();
    const std::string type = s.Get("type").As<Napi::String>().Utf8Value();
    const std::string host = s.Has("host") ? s.Get("host").ToString().Utf8Value() : "";
    const int port = s.Has("port") ? s.Get("port").ToNumber().Int32Value() : 0;
    const std::string path = s.Has("path") ? s.Get("path").ToString().Utf8Value() : "";
    if (type != "tcp" && type != "file" && type != "redis") throw Napi::Error::New(env, "unknown store type " + type);
    auto self = this;
    return Run(info, [self, rank, size, timeout, prefix, hostname, type, host, port, path]() {
      std::unique_ptr<gloo::rendezvous::Store> base;
      if (type == "tcp") base.reset(new trainkit::TcpStore(host, port, timeout));
      else if (type == "file") base.reset(new gloo::rendezvous::FileStore(path));
      else base.reset(new gloo::rendezvous::RedisStore(host, port));
      gloo::rendezvous::PrefixStore store(prefix, *base);
      gloo::transport::tcp::attr attr;
      attr.hostname = hostname;
      auto device = gloo::transport::tcp::CreateDevice(attr);
      auto context = std::make_shared<gloo::rendezvous::Context>(rank, size);
      context->setTimeout(timeout);
      context->connectFullMesh(store, device);
      // the store is only needed to meet; the pairs are connected now
      self->ctx_ = context;
    }, {});
  }

  // allreduce(array, op, timeoutMs): in place
  Napi::Value Allreduce(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    auto c = ctx(env);
    View v = viewOf(env, info[0], "allreduce's buffer");
    const std::string op = info[1].As<Napi::String>().Utf8Value();
    const auto timeout = Millis(info[2].As<Napi::Number>().Int64Value());
    return Run(info, [c, v, op, timeout]() {
      gloo::AllreduceOptions opts(c);
      opts.setTimeout(timeout);
      switch (v.dtype) {
        case DType::F32: opts.setOutput(static_cast<float*>(v.data), v.count); opts.setReduceFunction(reduceFn<float>(op)); break;
        case DType::F64: opts.setOutput(static_cast<double*>(v.data), v.count); opts.setReduceFunction(reduceFn<double>(op)); break;
        case DType::I32: opts.setOutput(static_cast<int32_t*>(v.data), v.count); opts.setReduceFunction(reduceFn<int32_t>(op)); break;
        case DType::U8: opts.setOutput(static_cast<uint8_t*>(v.data), v.count); opts.setReduceFunction(reduceFn<uint8_t>(op)); break;
      }
      gloo::allreduce(opts);
    }, {info[0]});
  }

  template <typename T>
  static void setOut(gloo::BroadcastOptions& o, const View& v) { o.setOutput(static_cast<T*>(v.data), v.count); }

  // broadcast(array, root, timeoutMs): in place
  Napi::Value Broadcast(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    auto c = ctx(env);
    View v = viewOf(env, info[0], "broadcast's buffer");
    const int root = info[1].As<Napi::Number>().Int32Value();
    const auto timeout = Millis(info[2].As<Napi::Number>().Int64Value());
    return Run(info, [c, v, root, timeout]() {
      gloo::BroadcastOptions opts(c);
      opts.setTimeout(timeout);
      opts.setRoot(root);
      switch (v.dtype) {
        case DType::F32: setOut<float>(opts, v); break;
        case DType::F64: setOut<double>(opts, v); break;
        case DType::I32: setOut<int32_t>(opts, v); break;
        case DType::U8: setOut<uint8_t>(opts, v); break;
      }
      gloo::broadcast(opts);
    }, {info[0]});
  }

  // allgather(input, output, timeoutMs): output holds size * input.length elements
  Napi::Value Allgather(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    auto c = ctx(env);
    View in = viewOf(env, info[0], "allgather's input");
    View out = viewOf(env, info[1], "allgather's output");
    if (in.dtype != out.dtype) throw Napi::TypeError::New(env, "allgather's input and output must have the same type");
    if (out.count != in.count * static_cast<size_t>(c->size)) throw Napi::RangeError::New(env, "allgather's output must hold world size x input length elements");
    const auto timeout = Millis(info[2].As<Napi::Number>().Int64Value());
    return Run(info, [c, in, out, timeout]() {
      gloo::AllgatherOptions opts(c);
      opts.setTimeout(timeout);
      switch (in.dtype) {
        case DType::F32: opts.setInput(static_cast<float*>(in.data), in.count); opts.setOutput(static_cast<float*>(out.data), out.count); break;
        case DType::F64: opts.setInput(static_cast<double*>(in.data), in.count); opts.setOutput(static_cast<double*>(out.data), out.count); break;
        case DType::I32: opts.setInput(static_cast<int32_t*>(in.data), in.count); opts.setOutput(static_cast<int32_t*>(out.data), out.count); break;
        case DType::U8: opts.setInput(static_cast<uint8_t*>(in.data), in.count); opts.setOutput(static_cast<uint8_t*>(out.data), out.count); break;
      }
      gloo::allgather(opts);
    }, {info[0], info[1]});
  }

  // gather(input, output|null, root, timeoutMs): output (root only) holds size * input.length
  Napi::Value Gather(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    auto c = ctx(env);
    View in = viewOf(env, info[0], "gather's input");
    const int root = info[2].As<Napi::Number>().Int32Value();
    const auto timeout = Millis(info[3].As<Napi::Number>().Int64Value());
    const bool isRoot = c->rank == root;
    View out;
    std::vector<Napi::Value> keep{info[0]};
    if (isRoot) {
      out = viewOf(env, info[1], "gather's output (on the root)");
      if (in.dtype != out.dtype) throw Napi::TypeError::New(env, "gather's input and output must have the same type");
      if (out.count != in.count * static_cast<size_t>(c->size)) throw Napi::RangeError::New(env, "gather's output must hold world size x input length elements");
      keep.push_back(info[1]);
    }
    return Run(info, [c, in, out, root, isRoot, timeout]() {
      gloo::GatherOptions opts(c);
      opts.setTimeout(timeout);
      opts.setRoot(root);
      switch (in.dtype) {
        case DType::F32: opts.setInput(static_cast<float*>(in.data), in.count); if (isRoot) opts.setOutput(static_cast<float*>(out.data), out.count); break;
        case DType::F64: opts.setInput(static_cast<double*>(in.data), in.count); if (isRoot) opts.setOutput(static_cast<double*>(out.data), out.count); break;
        case DType::I32: opts.setInput(static_cast<int32_t*>(in.data), in.count); if (isRoot) opts.setOutput(static_cast<int32_t*>(out.data), out.count); break;
        case DType::U8: opts.setInput(static_cast<uint8_t*>(in.data), in.count); if (isRoot) opts.setOutput(static_cast<uint8_t*>(out.data), out.count); break;
      }
      gloo::gather(opts);
    }, keep);
  }

  Napi::Value Barrier(const Napi::CallbackInfo& info) {
    auto c = ctx(info.Env());
    const auto timeout = Millis(info[0].As<Napi::Number>().Int64Value());
    return Run(info, [c, timeout]() {
      gloo::BarrierOptions opts(c);
      opts.setTimeout(timeout);
      gloo::barrier(opts);
    }, {});
  }

  // Drops this handle's context; a job still running holds its own reference until it ends.
  Napi::Value Close(const Napi::CallbackInfo& info) {
    ctx_.reset();
    return info.Env().Undefined();
  }

  std::shared_ptr<gloo::Context> ctx_;
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("ProcessGroup", ProcessGroup::Init(env));
  exports.Set("glooVersion", Napi::String::New(env, std::to_string(GLOO_VERSION_MAJOR) + "." + std::to_string(GLOO_VERSION_MINOR) + "." + std::to_string(GLOO_VERSION_PATCH)));
  return exports;
}

}  // namespace

NODE_API_MODULE(trainkit_gloo, Init)
