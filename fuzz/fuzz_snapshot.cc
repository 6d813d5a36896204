// Snapshot bytes → read_snapshot (model/snapshot.h), the parsed-model
// cache's reader of untrusted files: whatever the bytes, it gives a model or
// a problem, never a crash, an out-of-range index or unbounded allocation.
// (The checksum keeps accidental damage out; a snapshot crafted with a good
// checksum can only give a model whose indices are all in range.)
// The input is taken as a snapshot's FlatBuffers body and sealed with a
// good header and checksum, so the fuzzer reaches FlatBuffers' verifier and
// the reader's own checks rather than stopping at the checksum. Seed it with
// a real snapshot's body: tail -c +17 ~/.cache/imozuru/*.snapshot.
#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "model/snapshot.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace imozuru;
  std::string body(reinterpret_cast<const char*>(data), size);
  std::string sealed = "IMZSNAP1";
  const std::uint64_t sum = XXH3_64bits(body.data(), body.size());
  for (int i = 0; i < 8; ++i) sealed += static_cast<char>((sum >> (8 * i)) & 0xff);
  sealed += body;
  read_snapshot_any_key(body);  // as it is: the magic or the checksum stops it
  SnapshotRead r = read_snapshot_any_key(sealed);
  if (r.model)
    for (const System& s : r.model->systems)
      for (const Ref& ref : s.holds.identifiers)
        if (ref.index != kNone && ref.index >= r.model->identifiers.size()) __builtin_trap();
  return 0;
}
