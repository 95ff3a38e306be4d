{
  "targets": [
    {
      "target_name": "trainkit_gloo",
      "sources": ["native/binding.cc", "native/tcp_store.cc"],
      "include_dirs": ["/usr/include/hiredis", "<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-frtti", "-O3"],
      "libraries": ["-lgloo", "-lhiredis", "-libverbs", "-lpthread"],
      "ldflags": ["-Wl,-rpath,/usr/lib"]
    }
  ]
}
