// The table of entity kinds (model/kinds.h): every field it lists is read by
// the loader into its entity, and every field that is not merely descriptive
// is read by code outside the table, so a field added to the table that
// nothing gives meaning to fails here.
#include "model/kinds.h"

#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "model/load.h"

using namespace imozuru;
namespace fs = std::filesystem;

namespace {

std::string printed(const Diagnostics& d) {
  std::ostringstream out;
  d.print(out);
  return out.str();
}

// A value for `f` in the entity `self` that differs from the field's default;
// references name the entity `other` of the target kind.
std::string yaml_value(const FieldSpec& f, const std::string& self, const std::string& other) {
  switch (f.type) {
    case FieldType::id:
      return self;
    case FieldType::text:
      // An assessment's gap must name a real gap's rule and main entity.
      if (f.name == "gap") return "unconsented-sensitive:flow:" + other;
      return "\"text of " + std::string(f.name) + "\"";
    case FieldType::boolean:
      return "true";
    case FieldType::fraction:
      return "0.25";
    case FieldType::date:
      return f.name == "until" ? "2021-02-03" : "2020-01-02";
    case FieldType::enumeration: {
      // The last spelling, or the first when the default is the last.
      const auto& v = *f.values;
      return std::string(f.default_value == v.back() ? v.front() : v.back());
    }
    case FieldType::ref:
      return f.name == "from" ? self : other;  // a flow never goes to itself
    case FieldType::refs:
      return "[" + other + "]";
    case FieldType::holdings:
      return "{identifiers: [" + other + "], data: [" + other + "]}";
    case FieldType::citations:
      return "[{source: " + other + ", at: slide 1}]";
    case FieldType::dated_refs:
      return "[" + other + ", {" + std::string(f.item_key) + ": " + other + ", since: 2020, until: 2021}]";
  }
  return "";
}

// Two entities of every kind: "a" with every field written, each reference
// naming "b"; "b" with only its required fields, referring back to "a" (so no
// flow goes to itself and no law is its own ancestor).
std::string every_field_model() {
  std::string yaml;
  for (const KindSpec& k : entity_kinds()) {
    yaml += std::string(k.section) + ":\n";
    for (const char* self : {"a", "b"}) {
      const bool full = std::string(self) == "a";
      const std::string other = full ? "b" : "a";
      const char* lead = "  - ";
      for (const FieldSpec& f : k.fields) {
        if (!full && !f.required) continue;
        // "b" takes the first spelling of a required enumeration (an identifier
        // of the last kind, quasi, would need composed_of).
        const std::string value = !full && f.type == FieldType::enumeration ? std::string(f.values->front())
                                                                            : yaml_value(f, self, other);
        yaml += std::string(lead) + std::string(f.name) + ": " + value + "\n";
        lead = "    ";
      }
    }
  }
  return yaml;
}

// Whether the field's value in `e` differs from its value in a default entity.
bool differs_from_default(const FieldSpec& f, const Entity& e, const Entity& fresh) {
  switch (f.type) {
    case FieldType::id:
    case FieldType::text:
      return f.get<std::string>(e) != f.get<std::string>(fresh);
    case FieldType::boolean:
      return f.get<bool>(e) != f.get<bool>(fresh);
    case FieldType::fraction:
      return f.get<std::optional<double>>(e).has_value();
    case FieldType::date:
      return f.get<std::optional<Date>>(e).has_value();
    case FieldType::enumeration:
      return f.enum_text(e) != f.enum_text(fresh);
    case FieldType::ref:
      return f.optional_ref() ? f.get<std::optional<Ref>>(e).has_value() : !f.get<Ref>(e).id.empty();
    case FieldType::refs:
      return !f.get<Refs>(e).empty();
    case FieldType::holdings: {
      const Holdings& h = f.get<Holdings>(e);
      return !h.identifiers.empty() && !h.data.empty();
    }
    case FieldType::citations:
      return !e.sources.empty();
    case FieldType::dated_refs: {
      const DatedRefs& list = f.get<DatedRefs>(e);
      return list.size() == 2 && list[1].since && list[1].until;
    }
  }
  return false;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The production sources: every .cc/.h of the repository outside tests,
// benchmarks, fuzzers and build trees, except the kind table itself.
std::string production_sources() {
  const fs::path root = IMOZURU_SOURCE_DIR;
  std::string all;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const fs::path rel = fs::relative(entry.path(), root);
    const std::string top = rel.begin()->string();
    if (top == "tests" || top == "bench" || top == "fuzz" || top.rfind("build", 0) == 0 || top[0] == '.')
      continue;
    const std::string ext = entry.path().extension().string();
    if (ext != ".cc" && ext != ".h") continue;
    if (rel == fs::path("model/kinds.cc")) continue;
    all += slurp(entry.path());
  }
  return all;
}

// Whether `code` uses `member` as a member: `.member` or `->member`, not a
// longer name.
bool uses_member(const std::string& code, std::string_view member) {
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t at = code.find(member); at != std::string::npos; at = code.find(member, at + 1)) {
    const std::size_t end = at + member.size();
    if (end < code.size() && ident(code[end])) continue;
    if (at >= 1 && code[at - 1] == '.') return true;
    if (at >= 2 && code[at - 2] == '-' && code[at - 1] == '>') return true;
  }
  return false;
}

}  // namespace

TEST_CASE("kinds: names, sections and the fields every entity has", "[kinds]") {
  std::set<std::string_view> names, sections;
  for (const KindSpec& k : entity_kinds()) {
    CHECK(names.insert(k.name).second);
    CHECK(sections.insert(k.section).second);
    CHECK(&kind_spec(k.kind) == &k);
    CHECK(kind_of_section(k.section) == &k);
    CHECK(parse_entity_kind(k.name) == k.kind);
    REQUIRE(k.fields.size() >= 8);
    CHECK(k.fields[0].name == "id");
    CHECK(k.fields[0].required);
    CHECK(k.field_names.size() == k.fields.size());
    std::set<std::string_view> fields;
    for (const FieldSpec& f : k.fields) {
      INFO(k.name << "." << f.name);
      CHECK(fields.insert(f.name).second);
      CHECK(f.storage != nullptr);
      CHECK((f.type == FieldType::enumeration) == (f.values != nullptr));
      if (f.type == FieldType::enumeration) CHECK(f.set_enum != nullptr);
    }
  }
  CHECK(entity_kinds().size() == kEntityKindCount);
}

TEST_CASE("kinds: the loader reads every field of every kind into its entity", "[kinds]") {
  const std::string yaml = every_field_model();
  LoadResult r = load_model_text(yaml, "every_field.yaml");
  INFO(yaml);
  INFO(printed(r.diagnostics));
  REQUIRE(r.model);
  CHECK(r.diagnostics.error_count() == 0);
  Model& m = *r.model;
  Model scratch;
  for (const KindSpec& k : entity_kinds()) {
    REQUIRE(k.count(m) == 2);
    const Entity& fresh = k.emplace(scratch);
    const Entity& e = k.at(m, 0);
    REQUIRE(e.id == "a");
    for (const FieldSpec& f : k.fields) {
      INFO(k.name << " '" << e.id << "' field " << f.name);
      CHECK(differs_from_default(f, e, fresh));
    }
  }
}

TEST_CASE("kinds: every field that is not descriptive is read by code outside the table", "[kinds]") {
  const std::string sources = production_sources();
  REQUIRE(sources.size() > 100000);
  for (const KindSpec& k : entity_kinds()) {
    for (const FieldSpec& f : k.fields) {
      if (f.descriptive) continue;
      INFO(k.name << "." << f.name << " (member " << f.member
                  << "): give it meaning in code, or mark it descriptive in model/kinds.cc");
      CHECK(uses_member(sources, f.member));
    }
  }
}
