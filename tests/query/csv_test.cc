// imozuru.to_csv / imozuru.csv: one level of RFC 4180 quoting, lists as one
// cell joined with ";" (docs/lua-api.md).
#include <catch2/catch.hpp>

#include "query_test_support.h"

using namespace imozuru::query;
using namespace imozuru::query::testing;

namespace {

std::string csv(const std::string& rows, const std::string& columns = "nil") {
  Run run = run_lua("imozuru.write(imozuru.to_csv(" + rows + ", " + columns + "))");
  INFO(run.result.message);
  REQUIRE(run.result.outcome == Outcome::ok);
  return run.out;
}

}  // namespace

TEST_CASE("csv: commas, quotes, newlines and Japanese are quoted once", "[query][csv]") {
  CHECK(csv("{{a = 'x,y'}, {a = 'say \"hi\"'}, {a = 'two\\nlines'}, {a = '番号法第9条'}}") ==
        "a\n\"x,y\"\n\"say \"\"hi\"\"\"\n\"two\nlines\"\n番号法第9条\n");
  CHECK(csv("{{a = ' padded'}}") == "a\n\" padded\"\n");
}

TEST_CASE("csv: a list is one cell quoted once, never twice", "[query][csv]") {
  // Before: each item was quoted, then the joined cell again:
  // """National Number Act, art. 9""".
  CHECK(csv("{{laws = {'National Number Act, art. 9'}}}") == "laws\n\"National Number Act, art. 9\"\n");
  CHECK(csv("{{laws = {'番号法 9条', 'say \"x\"'}}}") == "laws\n\"番号法 9条;say \"\"x\"\"\"\n");
}

TEST_CASE("csv: a ';' or '\\' inside a list item is escaped, so items can be split again", "[query][csv]") {
  // Before: {'x;y', 'z'} and {'x', 'y', 'z'} both gave x;y;z.
  CHECK(csv("{{a = {'x;y', 'z'}}, {a = {'x', 'y', 'z'}}, {a = {'c:\\\\dir'}}}") ==
        "a\nx\\;y;z\nx;y;z\nc:\\\\dir\n");
  CHECK(csv("{{a = 'x;y'}}") == "a\nx;y\n");  // a plain value keeps its ';'
}

TEST_CASE("csv: numbers, booleans, columns with headers", "[query][csv]") {
  CHECK(csv("{{n = 3.0, f = 0.5, b = true, big = -1e300}}", "{'n', 'f', 'b', {'big', 'Big'}}") ==
        "n,f,b,Big\n3,0.5,true,-1e+300\n");
}
