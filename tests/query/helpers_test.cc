// The helpers of the imozuru table for tables and reports (docs/lua-api.md):
// imozuru.width and imozuru.pad by display width, imozuru.consent_rank and
// imozuru.chain_systems.
#include <catch2/catch.hpp>
#include <string>

#include "query_test_support.h"

using namespace imozuru::query::testing;

TEST_CASE("width and pad count a Japanese character as two columns", "[query][helpers]") {
  Run r = run_lua(
      "print(imozuru.width('abc'), imozuru.width('番号法'), imozuru.width(''))\n"
      "print('[' .. imozuru.pad('番号法', 8) .. ']')\n"
      "print('[' .. imozuru.pad('ab', 5, 'right') .. ']')\n"
      "print('[' .. imozuru.pad('長い名前です', 4) .. ']')\n");
  INFO(r.result.message);
  REQUIRE(r.result.exit_code == 0);
  CHECK(r.out == "3\t6\t0\n[番号法  ]\n[   ab]\n[長い名前です]\n");
  Run bad = run_lua("imozuru.pad('x', 4, 'centre')");
  CHECK(bad.result.exit_code != 0);
  CHECK(bad.result.message.find("align must be 'left' or 'right'") != std::string::npos);
}

TEST_CASE("consent_rank orders consents by the choice they leave", "[query][helpers]") {
  Run r = run_lua(
      "local cs = {'opt_in', 'none', 'card', 'notice', 'comprehensive', 'opt_out'}\n"
      "table.sort(cs, function(a, b) return imozuru.consent_rank(a) < imozuru.consent_rank(b) end)\n"
      "print(table.concat(cs, ' '))\n");
  INFO(r.result.message);
  REQUIRE(r.result.exit_code == 0);
  CHECK(r.out == "none notice opt_out comprehensive card opt_in\n");
  Run bad = run_lua("imozuru.consent_rank('opt-in')");
  CHECK(bad.result.exit_code != 0);
  CHECK(bad.result.message.find("'opt-in' is not a consent") != std::string::npos);
}

TEST_CASE("chain_systems lists a chain's systems in order, each once, as many as its length",
          "[query][helpers]") {
  Run r = run_lua(
      "local res = model:chains{from = 'identifier:insured_no', to = 'data:income', k = 3}\n"
      "assert(#res.chains > 0, 'no chain')\n"
      "for _, c in ipairs(res.chains) do\n"
      "  local s = imozuru.chain_systems(c)\n"
      "  assert(#s == c.length, #s .. ' systems for length ' .. c.length)\n"
      "  print(table.concat(s, ' '))\n"
      "end\n");
  INFO(r.result.message);
  REQUIRE(r.result.exit_code == 0);
  CHECK_FALSE(r.out.empty());
  Run bad = run_lua("imozuru.chain_systems({})");
  CHECK(bad.result.message.find("expected a chain") != std::string::npos);
}
