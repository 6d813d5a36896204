// The exact text of every loading and validation message, and hostile input:
// each must give a clean error, never a crash, hang or huge allocation.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/load.h"
#include "support/temp_tree.h"

using namespace imozuru;
namespace fs = std::filesystem;

namespace {

std::string printed(const Diagnostics& d) {
  std::ostringstream out;
  d.print(out);
  return out.str();
}

// Every diagnostic of loading `text` as file "m.yaml", as printed.
std::string report(const std::string& text, const LoadLimits& limits = {}) {
  LoadResult r = load_model_text(text, "m.yaml", limits);
  CHECK_FALSE(r.io_failure);
  return printed(r.diagnostics);
}

// The first line of each diagnostic only (no source line or caret).
std::string messages(const std::string& text, const LoadLimits& limits = {}) {
  LoadResult r = load_model_text(text, "m.yaml", limits);
  std::string out;
  for (const Diagnostic& d : r.diagnostics.sorted()) {
    std::string one = format_diagnostic(d);
    out += one.substr(0, one.find('\n') + 1);
  }
  return out;
}

// A valid system with a source, so only the problem under test is reported.
const std::string kSource = "sources: [{id: s, title: T}]\n";

fs::path temp_dir(const std::string& name) { return testing::fresh_temp_dir("imozuru_load_errors_", name); }

void write(const fs::path& p, const std::string& text) { testing::write_tree_file(p, text); }

}  // namespace

TEST_CASE("unknown top-level keys and fields suggest the closest name", "[errors]") {
  CHECK(report("sytems: []\n") ==
        "m.yaml:1:1: error: unknown top-level key 'sytems' (did you mean 'systems'?)\n"
        "sytems: []\n"
        "^\n");
  CHECK(messages("people: []\n") ==
        "m.yaml:1:1: error: unknown top-level key 'people'; expected one of: model, sources, actors, laws, "
        "identifiers, data, systems, flows, groups, consent_acts, persons, assessments\n");
  CHECK(report(kSource + "systems:\n  - id: registry\n    nmae: 住民基本台帳\n    name: R\n    sector: x\n"
                         "    sources: [s]\n") ==
        "m.yaml:4:5: error: unknown field 'nmae' in a system (did you mean 'name'?)\n"
        "    nmae: 住民基本台帳\n"
        "    ^\n");
  CHECK(
      messages(kSource + "data: [{id: d, name: D, colour: red, sources: [s]}]\n") ==
      "m.yaml:2:25: error: unknown field 'colour' in a data item; expected one of: id, name, name_en, note, "
      "sources, since, until, status, category, sensitivity\n");
  CHECK(messages("model: {name: a, lang: ja}\n") ==
        "m.yaml:1:18: error: unknown field 'lang' in 'model'; expected one of: name, name_en, description, "
        "default_lang\n");
  CHECK(messages(kSource +
                 "systems: [{id: a, name: A, sector: x, sources: [s], holds: {identifier: [i]}}]\n") ==
        "m.yaml:2:61: error: unknown field 'identifier' in 'holds' (did you mean 'identifiers'?)\n");
}

TEST_CASE("required fields", "[errors]") {
  CHECK(messages(kSource + "systems:\n"
                           "  - {name: A, sector: x}\n"
                           "  - {id: b, sources: [s]}\n"
                           "identifiers: [{id: i, name: I, sources: [s]}]\n"
                           "flows: [{id: f, name: F, sources: [s]}]\n"
                           "sources: [{id: t}]\n") ==
        "m.yaml:3:5: error: missing required field 'id' in a system\n"
        "m.yaml:4:5: error: missing required field 'name' in system 'b'\n"
        "m.yaml:4:5: error: missing required field 'sector' in system 'b'\n"
        "m.yaml:5:15: error: missing required field 'kind' in identifier 'i'\n"
        "m.yaml:6:9: error: missing required field 'from' in flow 'f'\n"
        "m.yaml:6:9: error: missing required field 'to' in flow 'f'\n"
        "m.yaml:7:1: error: duplicate key 'sources'; first written at m.yaml:1:1\n"
        "m.yaml:7:11: error: missing required field 'title' in source 't'\n");
}

TEST_CASE("a source's name defaults to its title, other kinds need a name", "[errors]") {
  LoadResult r =
      load_model_text("sources: [{id: s, title: 白書}, {id: t, title: T, name: 短い名前}]\n", "m.yaml");
  REQUIRE(r.model);
  CHECK(r.model->sources[0].name == "白書");
  CHECK(r.model->sources[1].name == "短い名前");
}

TEST_CASE("types: lists, text, booleans, numbers", "[errors]") {
  CHECK(messages("systems: {id: a}\n") ==
        "m.yaml:1:10: error: 'systems' must be a list of systems, found a mapping\n");
  CHECK(messages("flows: [just_an_id]\n") ==
        "m.yaml:1:9: error: each entry of 'flows' must be a mapping (one flow), found 'just_an_id'\n");
  CHECK(messages(kSource + "systems: [{id: a, name: [A], sector: x, sources: [s]}]\n") ==
        "m.yaml:2:25: error: 'name' must be text, found a list\n");
  CHECK(messages(kSource + "systems: [{id: a, name: A, sector: x, sources: [s], note: }]\n") ==
        "m.yaml:2:59: error: 'note' has no value\n");
  CHECK(messages(kSource + "identifiers: [{id: i, name: I, kind: card, sources: [s], visible: yes}]\n") ==
        "m.yaml:2:67: error: 'visible' must be true or false, found 'yes'\n");
  CHECK(messages(kSource + "identifiers: [{id: i, name: I, kind: card, sources: [s], unique: \"true\"}]\n") ==
        "m.yaml:2:66: error: 'unique' must be true or false, found 'true'\n");
  CHECK(messages(kSource + "data: [{id: d, name: D, sources: [s]}]\n"
                           "identifiers: [{id: q, name: Q, kind: quasi, composed_of: [d], sources: [s], "
                           "match_error: 1.5}]\n") ==
        "m.yaml:3:90: error: 'match_error' must be a number from 0 to 1, found '1.5'\n");
  CHECK(messages(kSource + "data: [{id: d, name: D, sources: [s]}]\n"
                           "identifiers: [{id: q, name: Q, kind: quasi, composed_of: [d], sources: [s], "
                           "match_error: lots}]\n") ==
        "m.yaml:3:90: error: 'match_error' must be a number from 0 to 1, found 'lots'\n");
  CHECK(messages(kSource + "laws: [{id: l, name: L, sources: [s]}]\n"
                           "flows: [{id: f, name: F, from: a, to: b, sources: [s], basis: l}]\n"
                           "systems: [{id: a, name: A, sector: x, sources: [s]}, {id: b, name: B, sector: x, "
                           "sources: [s]}]\n") ==
        "m.yaml:3:63: error: 'basis' must be a list of law ids, found 'l'\n");
  CHECK(messages(kSource + "systems: [{id: a, name: A, sector: x, sources: [s], holds: [i]}]\n") ==
        "m.yaml:2:60: error: 'holds' must be a mapping {identifiers: [ids], data: [ids]}, found a list\n");
  CHECK(messages(kSource + "systems: [{id: a, name: A, sector: x, sources: [s], operator: {id: x}}]\n") ==
        "m.yaml:2:63: error: 'operator' must be a actor id, found a mapping\n");
}

TEST_CASE("composed_of only for quasi identifiers, required there", "[errors]") {
  CHECK(
      messages(kSource + "data: [{id: d, name: D, sources: [s]}]\n"
                         "identifiers:\n"
                         "  - {id: q, name: Q, kind: quasi, sources: [s]}\n"
                         "  - {id: r, name: R, kind: quasi, composed_of: [], sources: [s]}\n"
                         "  - {id: n, name: N, kind: national, composed_of: [d], sources: [s]}\n") ==
      "m.yaml:4:5: error: quasi identifier 'q' needs a non-empty 'composed_of' (the data items that together "
      "identify a person)\n"
      "m.yaml:5:48: error: quasi identifier 'r' needs a non-empty 'composed_of' (the data items that "
      "together "
      "identify a person)\n"
      "m.yaml:6:51: error: 'composed_of' is only allowed for identifiers of kind quasi ('n' is of kind "
      "national)\n");
}

TEST_CASE("sources entries are ids or {source, at}", "[errors]") {
  LoadResult ok = load_model_text(
      kSource + "systems: [{id: a, name: A, sector: x, sources: [s, {source: s, at: \"slide 34\"}]}]\n",
      "m.yaml");
  REQUIRE(ok.model);
  REQUIRE(ok.model->systems[0].sources.size() == 2);
  CHECK(ok.model->systems[0].sources[1].at == "slide 34");
  CHECK(ok.model->systems[0].sources[1].source_index == 0);

  CHECK(
      messages(kSource + "systems: [{id: a, name: A, sector: x, sources: [[s]]}]\n") ==
      "m.yaml:2:49: error: each entry of 'sources' must be a source id or {source: ID, at: \"...\"}, found a "
      "list\n");
  CHECK(messages(kSource + "systems: [{id: a, name: A, sector: x, sources: [{at: p1}]}]\n") ==
        "m.yaml:2:49: error: a source citation needs 'source' (a source id)\n");
  CHECK(messages(kSource + "systems: [{id: a, name: A, sector: x, sources: [{source: s, page: 3}]}]\n") ==
        "m.yaml:2:61: error: unknown field 'page' in a source citation; expected one of: source, at\n");
  CHECK(messages(kSource + "systems: [{id: a, name: A, sector: x, sources: [z]}]\n") ==
        "m.yaml:2:49: error: unknown source 'z' in 'sources'\n");
}

TEST_CASE("ids: malformed, duplicated (both places named)", "[errors]") {
  CHECK(messages(kSource + "systems: [{id: My_System, name: A, sector: x, sources: [s]}]\n") ==
        "m.yaml:2:16: error: malformed id 'My_System': use lowercase letters a-z, digits, '_', '.' and '-', "
        "starting with a letter or digit\n");
  CHECK(
      messages(kSource + "systems: [{id: _a, name: A, sector: x, sources: [s]}]\n") ==
      "m.yaml:2:16: error: malformed id '_a': use lowercase letters a-z, digits, '_', '.' and '-', starting "
      "with a letter or digit\n");
  CHECK(messages(kSource + "systems:\n"
                           "  - {id: a, name: A, sector: x, sources: [s]}\n"
                           "  - {id: a, name: B, sector: x, sources: [s]}\n"
                           "laws: [{id: a, name: 同じidでも別の種類ならよい, sources: [s]}]\n") ==
        "m.yaml:4:10: error: duplicate system id 'a'; first defined at m.yaml:3:10\n");
}

TEST_CASE("references to missing ids, with did-you-mean of the right kind", "[errors]") {
  const std::string base = kSource +
                           "systems:\n"
                           "  - {id: registry, name: R, sector: x, sources: [s]}\n"
                           "  - {id: portal, name: P, sector: x, sources: [s]}\n"
                           "identifiers: [{id: my_number, name: N, kind: national, sources: [s]}]\n"
                           "data: [{id: address, name: A, sources: [s]}]\n"
                           "laws: [{id: act, name: A, sources: [s]}]\n"
                           "actors: [{id: city, name: C, sources: [s]}]\n";
  CHECK(messages(base + "flows: [{id: f, name: F, from: registy, to: portl, sources: [s]}]\n") ==
        "m.yaml:9:32: error: unknown system 'registy' in 'from' (did you mean 'registry'?)\n"
        "m.yaml:9:45: error: unknown system 'portl' in 'to' (did you mean 'portal'?)\n");
  // The closest id of another kind is never suggested.
  CHECK(
      messages(base + "flows: [{id: f, name: F, from: registry, to: portal, key: adress, sources: [s]}]\n") ==
      "m.yaml:9:59: error: unknown identifier 'adress' in 'key'\n");
  CHECK(messages(base + "flows: [{id: f, name: F, from: registry, to: portal, sources: [s],\n"
                        "         carries: {identifiers: [my_numbr], data: [adress]}, basis: [akt]}]\n") ==
        "m.yaml:10:34: error: unknown identifier 'my_numbr' in 'carries.identifiers' (did you mean "
        "'my_number'?)\n"
        "m.yaml:10:52: error: unknown data item 'adress' in 'carries.data' (did you mean 'address'?)\n"
        "m.yaml:10:70: error: unknown law 'akt' in 'basis' (did you mean 'act'?)\n");
  CHECK(messages(base + "flows: []\n"
                        "more: 1\n") ==
        "m.yaml:10:1: error: unknown top-level key 'more' (did you mean 'model'?)\n");
  CHECK(
      messages(kSource +
               "actors: [{id: a, name: A, parent: zzz, sources: [s]}]\n"
               "systems: [{id: b, name: B, sector: x, operator: cty, sources: [s]}]\n"
               "identifiers: [{id: i, name: I, kind: card, issuer: q, regulated_by: [x], sources: [s]}]\n") ==
      "m.yaml:2:35: error: unknown actor 'zzz' in 'parent'\n"
      "m.yaml:3:49: error: unknown actor 'cty' in 'operator'\n"
      "m.yaml:4:52: error: unknown system 'q' in 'issuer'\n"
      "m.yaml:4:70: error: unknown law 'x' in 'regulated_by'\n");
}

TEST_CASE("dates and enum values", "[errors][dates]") {
  CHECK(messages(kSource + "systems: [{id: a, name: A, sector: x, sources: [s], since: 2023-02-30}]\n") ==
        "m.yaml:2:60: error: invalid date '2023-02-30' for 'since': expected YYYY, YYYY-MM or YYYY-MM-DD\n");
  CHECK(messages(kSource + "systems: [{id: a, name: A, sector: x, sources: [s], until: 21}]\n") ==
        "m.yaml:2:60: error: invalid date '21' for 'until': expected YYYY, YYYY-MM or YYYY-MM-DD\n");
  CHECK(
      messages(kSource +
               "systems: [{id: a, name: A, sector: x, sources: [s], since: 2021-10, until: 2021-10-01}]\n") ==
      "m.yaml:2:76: error: 'until' (2021-10-01) must be later than 'since' (2021-10)\n");
  // until == since + 1 day is the shortest valid span.
  CHECK(load_model_text(kSource + "systems: [{id: a, name: A, sector: x, sources: [s], since: 2020-02-28, "
                                  "until: 2020-02-29}]\n",
                        "m.yaml")
            .model);
  CHECK(messages(kSource + "systems: [{id: a, name: A, sector: x, sources: [s], status: live}]\n") ==
        "m.yaml:2:61: error: invalid status 'live'; expected one of: operational, pilot, planned, proposed, "
        "abolished\n");
  CHECK(
      messages(kSource + "flows: [{id: f, name: F, from: a, to: b, sources: [s], consent: opt-in}]\n"
                         "systems: [{id: a, name: A, sector: x, sources: [s]}, {id: b, name: B, sector: x, "
                         "sources: [s]}]\n") ==
      "m.yaml:2:65: error: invalid consent 'opt-in' (did you mean 'opt_in'?); expected one of: none, notice, "
      "opt_out, opt_in, card, comprehensive\n");
  CHECK(messages(kSource + "data: [{id: d, name: D, sources: [s], sensitivity: secret}]\n") ==
        "m.yaml:2:52: error: invalid sensitivity 'secret'; expected one of: special, high, normal\n");
  CHECK(messages(kSource + "identifiers: [{id: i, name: I, kind: card, scope: local, sources: [s]}]\n") ==
        "m.yaml:2:51: error: invalid scope 'local' (did you mean 'global'?); expected one of: global, "
        "holder\n");
  CHECK(
      messages(kSource + "identifiers: [{id: i, name: I, kind: mynumber, sources: [s]}]\n") ==
      "m.yaml:2:38: error: invalid kind 'mynumber'; expected one of: national, sectoral, token, credential, "
      "card, account, service, local, quasi\n");
  CHECK(messages(kSource + "actors: [{id: a, name: A, kind: company, sources: [s]}]\n") ==
        "m.yaml:2:33: error: invalid kind 'company'; expected one of: government, local_government, "
        "public_body, "
        "private, individual, group\n");
  CHECK(messages("model: {default_lang: fr}\n") ==
        "m.yaml:1:23: error: invalid default_lang 'fr'; expected one of: ja, en\n");
}

TEST_CASE("model: at most once in the whole model", "[errors][directory]") {
  fs::path dir = temp_dir("model_twice");
  write(dir / "a.yaml", "model: {name: A}\n");
  write(dir / "b" / "c.yaml", "\nmodel: {name: B}\n");
  LoadResult r = load_model(dir);
  CHECK_FALSE(r.model);
  CHECK_FALSE(r.io_failure);
  std::string a = (dir / "a.yaml").string(), c = (dir / "b" / "c.yaml").string();
  CHECK(printed(r.diagnostics) == c + ":2:1: error: 'model' is defined more than once; first defined at " +
                                      a +
                                      ":1:1\n"
                                      "model: {name: B}\n"
                                      "^\n");
}

TEST_CASE("a duplicate id across files names both files", "[errors][directory]") {
  fs::path dir = temp_dir("dup_files");
  write(dir / "one.yaml", kSource + "systems: [{id: portal, name: A, sector: x, sources: [s]}]\n");
  write(dir / "two.yml", "systems:\n  - id: portal\n    name: B\n    sector: x\n    sources: [s]\n");
  LoadResult r = load_model(dir);
  CHECK_FALSE(r.model);
  std::string one = (dir / "one.yaml").string(), two = (dir / "two.yml").string();
  CHECK(printed(r.diagnostics) == two + ":2:9: error: duplicate system id 'portal'; first defined at " + one +
                                      ":2:16\n"
                                      "  - id: portal\n"
                                      "        ^\n");
}

TEST_CASE("warnings: no sources, a flow carrying what its sender lacks", "[errors][warnings]") {
  LoadResult r =
      load_model_text(kSource +
                          "systems:\n"
                          "  - {id: a, name: A, sector: x, sources: [s], holds: {identifiers: [i]}}\n"
                          "  - {id: b, name: B, sector: x}\n"
                          "identifiers: [{id: i, name: I, kind: card, sources: [s]},\n"
                          "              {id: j, name: J, kind: card, sources: [s]}]\n"
                          "flows: [{id: f, name: F, from: a, to: b, carries: {identifiers: [i, j]}, "
                          "sources: [s]}]\n",
                      "m.yaml");
  REQUIRE(r.model);  // warnings do not make a model invalid
  CHECK(r.diagnostics.warning_count() == 2);
  CHECK(
      printed(r.diagnostics) ==
      "m.yaml:4:10: warning: system 'b' has no sources\n"
      "  - {id: b, name: B, sector: x}\n"
      "         ^\n"
      "m.yaml:7:69: warning: flow 'f' carries identifier 'j' that its sender 'a' neither holds nor receives "
      "through any flow\n"
      "flows: [{id: f, name: F, from: a, to: b, carries: {identifiers: [i, j]}, sources: [s]}]\n"
      "                                                                    ^\n");
}

TEST_CASE("a Japanese line: column in characters, caret under wide characters", "[errors]") {
  CHECK(report(kSource + "systems: [{id: jumin, name: 住民基本台帳, sector: 自治体, sources: [s], holds: "
                         "{identifiers: [マイナンバー]}}]\n") ==
        "m.yaml:2:86: error: unknown identifier 'マイナンバー' in 'holds.identifiers'\n"
        "systems: [{id: jumin, name: 住民基本台帳, sector: 自治体, sources: [s], holds: {identifiers: "
        "[マイナンバー]}}]\n"
        // 85 characters before the column, 9 of them wide: 94 terminal columns.
        "                                                                                              ^\n");
}

TEST_CASE("the report is capped at 100 errors", "[errors]") {
  std::string text = kSource + "systems:\n";
  for (int i = 0; i < 150; ++i)
    text += "  - {id: s" + std::to_string(i) + ", name: S, sector: x, sources: [s], kind: x}\n";
  LoadResult r = load_model_text(text, "m.yaml");
  CHECK(r.diagnostics.error_count() == 150);
  CHECK(r.diagnostics.all().size() == 100);
  std::string out = printed(r.diagnostics);
  CHECK(out.substr(out.size() - 21) == "^\nand 50 more errors\n");
}

// --- hostile and broken input ---

TEST_CASE("YAML syntax errors give their position", "[hostile]") {
  CHECK(messages("systems: [\n  {id: a\n") == "m.yaml:3:1: error: invalid YAML: end of map flow not found\n");
  // Only the syntax error: the unknown key 'a' was a guess about a line the
  // parser could not read.
  CHECK(messages("a: b: c\n") ==
        "m.yaml:1:5: error: invalid YAML: illegal map value; a colon followed by a space starts a mapping: "
        "quote "
        "the value, as in a: \"b: c\"\n");
}

TEST_CASE("more than one document is an error", "[hostile]") {
  CHECK(report("model: {name: a}\n---\nmodel: {name: b}\n") ==
        "m.yaml:2:1: error: more than one YAML document in a file; a model file is one mapping\n"
        "---\n"
        "^\n");
}

TEST_CASE("invalid UTF-8 is reported with its position", "[hostile]") {
  CHECK(messages("systems:\n  - id: a\n    name: 住\xff\n") ==
        "m.yaml:3:12: error: invalid UTF-8 (byte 0xff); model files must be UTF-8\n");
  CHECK(messages("name: \xc0\xaf\n") ==
        "m.yaml:1:7: error: invalid UTF-8 (byte 0xc0); model files must be UTF-8\n");
  CHECK(messages("name: \xed\xa0\x80\n") ==  // a UTF-16 surrogate
        "m.yaml:1:7: error: invalid UTF-8 (byte 0xed); model files must be UTF-8\n");
  CHECK(messages("x: \xe4\xbd") ==
        "m.yaml:1:4: error: invalid UTF-8 (byte 0xe4); model files must be UTF-8\n");
}

TEST_CASE("nesting deeper than the limit is rejected before yaml-cpp recurses", "[hostile]") {
  std::string deep = std::string(200000, '[') + std::string(200000, ']') + "\n";
  CHECK(messages(deep) == "m.yaml:1:65: error: nesting deeper than 64 levels (--max-depth)\n");
  std::string block;
  for (int i = 0; i < 100; ++i) block += std::string(2 * i, ' ') + "k" + std::to_string(i) + ":\n";
  CHECK(messages(block) == "m.yaml:65:129: error: nesting deeper than 64 levels (--max-depth)\n");
  LoadLimits shallow;
  shallow.max_depth = 3;
  CHECK(messages("systems: [{id: a, holds: {identifiers: [i]}}]\n", shallow) ==
        "m.yaml:1:26: error: nesting deeper than 3 levels (--max-depth)\n");
}

TEST_CASE("anchors and aliases are rejected (alias bombs, cycles)", "[hostile]") {
  CHECK(report("sources: &x [{id: s, title: T}]\nlaws: *x\n") ==
        "m.yaml:1:10: error: anchors (&x) are not allowed in model files\n"
        "sources: &x [{id: s, title: T}]\n"
        "         ^\n"
        "m.yaml:2:7: error: aliases (*x) are not allowed in model files\n"
        "laws: *x\n"
        "      ^\n");
  std::string bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    bomb += std::string(1, c) + ": &" + c + " [*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" +
            prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + "]\n";
  }
  LoadResult r = load_model_text(bomb, "bomb.yaml");
  CHECK_FALSE(r.model);
  CHECK(r.diagnostics.error_count() == 10 + 81 + 10);  // anchors, aliases, unknown keys
  CHECK(messages("a: &a [*a]\n") ==
        "m.yaml:1:1: error: unknown top-level key 'a'; expected one of: model, sources, actors, laws, "
        "identifiers, "
        "data, systems, flows, groups, consent_acts, persons, assessments\n"
        "m.yaml:1:4: error: anchors (&a) are not allowed in model files\n"
        "m.yaml:1:8: error: aliases (*a) are not allowed in model files\n");
}

TEST_CASE("a file larger than the limit is refused before it is read", "[hostile]") {
  fs::path dir = temp_dir("big");
  write(dir / "big.yaml", std::string(5000, '#') + "\n");
  LoadLimits small;
  small.max_file_bytes = 4096;
  LoadResult r = load_model(dir / "big.yaml", small);
  CHECK_FALSE(r.model);
  CHECK_FALSE(r.io_failure);
  CHECK(printed(r.diagnostics) == (dir / "big.yaml").string() +
                                      ": error: file is 5001 bytes, larger than the limit of 4096 bytes "
                                      "(--max-file-bytes)\n");
}

TEST_CASE("too many entities and overlong text", "[hostile]") {
  LoadLimits few;
  few.max_entities = 3;
  CHECK(messages("sources: [{id: a, title: A}, {id: b, title: B}, {id: c, title: C}, {id: d, title: D}, "
                 "{id: e, title: E}]\n",
                 few) == "m.yaml:1:68: error: more than 3 entities in the model (--max-entities)\n");
  LoadLimits short_text;
  short_text.max_string_bytes = 10;
  CHECK(messages("sources: [{id: a, title: 12345678901}]\n", short_text) ==
        "m.yaml:1:26: error: text of 11 bytes is longer than the limit of 10 bytes (--max-string-bytes)\n");
}

TEST_CASE("empty files and non-mapping documents", "[hostile]") {
  // An empty file (or only comments, or a bare `---`) adds nothing: a warning.
  for (const char* text : {"", "# only a comment\n", "---\n"}) {
    LoadResult r = load_model_text(text, "m.yaml");
    REQUIRE(r.model);
    CHECK(printed(r.diagnostics) == "m.yaml: warning: empty file; it adds nothing to the model\n");
  }
  CHECK(messages("- a\n- b\n") ==
        "m.yaml:1:1: error: a model file must be a mapping of sections (model, sources, actors, laws, "
        "identifiers, "
        "data, systems, flows, groups, consent_acts, persons, assessments), found a list\n");
  CHECK(messages("just text\n") ==
        "m.yaml:1:1: error: a model file must be a mapping of sections (model, sources, actors, laws, "
        "identifiers, "
        "data, systems, flows, groups, consent_acts, persons, assessments), found 'just text'\n");
  CHECK(messages("systems:\nflows: ~\n") == "");  // empty sections are empty lists
  CHECK(messages("? [a]\n: b\n") == "m.yaml:1:3: error: top-level keys must be text, found a list\n");
}

TEST_CASE("unreadable paths and directories without model files are I/O failures", "[hostile]") {
  LoadResult missing = load_model("/nonexistent/imozuru/model.yaml");
  CHECK(missing.io_failure);
  CHECK_FALSE(missing.model);
  CHECK(printed(missing.diagnostics) ==
        "/nonexistent/imozuru/model.yaml: error: cannot read: No such file or directory\n");

  fs::path dir = temp_dir("no_models");
  write(dir / "readme.txt", "hello");
  LoadResult empty = load_model(dir);
  CHECK(empty.io_failure);
  CHECK(printed(empty.diagnostics) ==
        dir.string() + ": error: no model files (*.yaml, *.yml) in this directory\n");

  // A directory named like a model file is skipped, not read.
  fs::path tricky = temp_dir("dir_named_yaml");
  fs::create_directories(tricky / "sub.yaml");
  write(tricky / "sub.yaml" / "real.yaml", "sources: [{id: s, title: T}]\n");
  LoadResult r = load_model(tricky);
  INFO(printed(r.diagnostics));
  REQUIRE(r.model);
  CHECK(r.model->sources.size() == 1);
}

// yaml-cpp says "illegal map value" and "end of map not found"; the loader
// says which of the commonest mistakes it is (docs/model-format.md).
TEST_CASE("yaml help: a value with ': ' in it is told to be quoted", "[load][errors][yaml-help]") {
  CHECK(messages(kSource +
                 "systems:\n  - id: a\n    name: A\n    name_en: Sakura: pharmacy\n    sector: tax\n") ==
        "m.yaml:5:20: error: invalid YAML: illegal map value; a colon followed by a space starts a mapping: "
        "quote the value, as in name_en: \"Sakura: pharmacy\"\n");
  CHECK(messages(kSource + "systems:\n  - id: a\n    name: 薬局: \"さくら\"\n") ==
        "m.yaml:4:13: error: invalid YAML: illegal map value; a colon followed by a space starts a mapping: "
        "quote the value, as in name: \"薬局: \\\"さくら\\\"\"\n");
}

TEST_CASE("yaml help: a key indented more than the one above", "[load][errors][yaml-help]") {
  CHECK(
      messages(kSource + "systems:\n  - id: a\n    name: A\n      sector: tax\n") ==
      "m.yaml:5:13: error: invalid YAML: illegal map value; this key is indented more than the key above it "
      "(line 4, 'name'): the fields of one entity line up under each other\n");
}

TEST_CASE("yaml help: a key indented less than the one above, without a false missing field first",
          "[load][errors][yaml-help]") {
  // Before: "missing required field 'sector' in system 'a'" came first,
  // although sector is written (one line, mis-indented).
  CHECK(messages(kSource + "systems:\n  - id: a\n    name: A\n  sector: tax\n    sources: [s]\n") ==
        "m.yaml:5:3: error: invalid YAML: end of map not found; this key is indented less than the key above "
        "it "
        "(line 4, 'name'): the fields of one entity line up under each other\n");
}

TEST_CASE("yaml help: a broken file reports only its syntax error, other files keep theirs",
          "[load][errors][yaml-help]") {
  const fs::path dir = fs::temp_directory_path() / "imozuru_yaml_help";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "a.yaml") << "sources: [{id: s, title: T}]\nsystems:\n  - id: x\n    name: X\n";
  std::ofstream(dir / "b.yaml") << "systems:\n  - id: y\n    name: Y\n  sector: tax\n";
  LoadResult r = load_model(dir);
  std::string out;
  for (const Diagnostic& d : r.diagnostics.sorted()) out += d.pos.file() + ":" + d.message + "\n";
  CHECK(out == (dir / "a.yaml").string() + ":missing required field 'sector' in system 'x'\n" +
                   (dir / "b.yaml").string() +
                   ":invalid YAML: end of map not found; this key is indented less than the key above it "
                   "(line 3, 'name'): the fields of one entity line up under each other\n");
  CHECK(r.diagnostics.error_count() == 2);
  fs::remove_all(dir);
}
