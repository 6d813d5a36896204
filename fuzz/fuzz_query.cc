// Fuzz target 2: Lua script text → `imozuru query` on a small fixed model,
// with small limits (0.2 s, 64 MiB, 1 MiB strings). Whatever the script does,
// the run must end with an outcome (ok, script error, bad reference, time or
// memory limit): never a crash, a hang, a leak or undefined behaviour, and a
// time/memory limit must be reported as such.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "model/load.h"
#include "query/query.h"

using namespace imozuru;

namespace {

// The fixed model: one of every kind, with holder-scoped and quasi
// identifiers, flows with every consent, and a planned system.
constexpr std::string_view kModel = R"(model: {name: fuzz, default_lang: ja}
sources:
  - {id: s1, title: Slides}
actors:
  - {id: gov, name: 政府, kind: government}
laws:
  - {id: act, name: 番号法, since: 2015-10, until: 2030}
data:
  - {id: name, name: 氏名, category: identity}
  - {id: address, name: 住所, category: location, sensitivity: high}
  - {id: claims, name: "レセプト <&> \"q\" \\N", category: health, sensitivity: special}
identifiers:
  - {id: mn, name: マイナンバー, kind: national, visible: true, regulated_by: [act]}
  - {id: code, name: 符号, kind: token, scope: holder}
  - {id: ins, name: 被保険者番号, kind: sectoral}
  - {id: b2, name: 基本2情報, kind: quasi, composed_of: [name, address]}
systems:
  - {id: reg, name: 住基, sector: identity, kind: registry, operator: gov, holds: {identifiers: [mn], data: [name, address]}}
  - {id: hub, name: 中間サーバー, sector: identity, kind: hub, holds: {identifiers: [code, mn]}}
  - {id: insurer, name: 保険者, sector: health, holds: {identifiers: [ins, code], data: [claims, name, address]}}
  - {id: app, name: アプリ, sector: private, kind: app, status: planned, since: 2027}
flows:
  - {id: f1, name: 連携1, from: reg, to: hub, carries: {identifiers: [mn], data: [name]}, key: mn, basis: [act]}
  - {id: f2, name: 連携2, from: hub, to: insurer, carries: {data: [claims]}, consent: opt_in}
  - {id: f3, name: "提供 \\l", from: insurer, to: app, carries: {data: [claims]}, consent: comprehensive}
)";

struct Fixture {
  Model model;
  std::FILE* sink = nullptr;
  std::string output_dir;
  Fixture() {
    LoadResult r = load_model_text(kModel, "fuzz-model.yaml");
    if (!r.model) {
      std::fprintf(stderr, "fuzz_query: the fixed model does not load\n");
      r.diagnostics.print(std::cerr);
      std::abort();
    }
    model = std::move(*r.model);
    sink = std::fopen("/dev/null", "w");
    char dir[] = "/tmp/imozuru-fuzz-query.XXXXXX";
    if (!mkdtemp(dir)) std::abort();
    output_dir = dir;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture fixture;
  query::QueryOptions options;
  options.script_path = "fuzz.lua";
  options.args = {"identifier:mn", "data:claims"};
  options.at = *Date::parse("2026-01-01");
  options.limits.timeout_seconds = 0.2;
  options.limits.memory_bytes = std::size_t{64} << 20;
  options.limits.max_string_bytes = std::size_t{1} << 20;
  options.output_dir = fixture.output_dir;
  options.out = fixture.sink;
  query::QueryResult result = query::run_query_text(
      fixture.model, std::string_view(reinterpret_cast<const char*>(data), size), options);
  if (result.exit_code != query::exit_code(result.outcome)) __builtin_trap();
  if (result.outcome != query::Outcome::ok && result.message.empty()) __builtin_trap();
  return 0;
}
