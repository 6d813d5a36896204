#include "model/load.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <stdexcept>
#include <thread>

#include "model/input_file.h"
#include "model/validate.h"
#include "model/yaml_events.h"
#include "text/join.h"
#include "text/utf8.h"

namespace imozuru {
namespace {

namespace fs = std::filesystem;
using yaml::Node;
using yaml::NodeId;
using yaml::Tree;

// More fields than any kind has (identifiers have 17).
constexpr std::size_t kMaxFields = 24;

const std::vector<std::string_view>& section_names() {
  static const std::vector<std::string_view> v = [] {
    std::vector<std::string_view> names{"model"};
    for (const KindSpec& k : entity_kinds()) names.push_back(k.section);
    return names;
  }();
  return v;
}
const std::vector<std::string_view>& model_fields() {
  static const std::vector<std::string_view> v{"name", "name_en", "description", "default_lang"};
  return v;
}
const std::vector<std::string_view>& holdings_fields() {
  static const std::vector<std::string_view> v{"identifiers", "data"};
  return v;
}
const std::vector<std::string_view>& citation_fields() {
  static const std::vector<std::string_view> v{"source", "at"};
  return v;
}

std::string join(const std::vector<std::string_view>& values) { return text::join(values, ", "); }

bool is_valid_id(std::string_view id) {
  if (id.empty()) return false;
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_or_digit(id[0])) return false;
  return std::all_of(id.begin() + 1, id.end(),
                     [&](char c) { return lower_or_digit(c) || c == '_' || c == '.' || c == '-'; });
}

// Thrown by the loader to stop parsing a file once a whole-model limit is hit.
struct StopLoading {};

// State shared by every file of one model.
struct ModelBuilder {
  Model model;
  Diagnostics& diagnostics;
  const LoadLimits& limits;
  std::size_t entities = 0;
  std::size_t references = 0;
  std::size_t position_bytes_scanned = 0;
  bool fatal = false;  // a file could not be read in full: skip whole-model checks
};

// --- hints for the commonest YAML mistakes (docs/model-format.md#yaml-syntax-error)

// Line `index` (0-based) of `text`, without its line break.
std::string_view line_at(std::string_view text, int index) {
  std::size_t start = 0;
  for (int l = 0; l < index; ++l) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  std::size_t end = text.find('\n', start);
  std::string_view line =
      text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// A line of the form `[- ]KEY: [VALUE]`, split.
struct KeyLine {
  bool is_key = false;
  int indent = 0;  // the key's column (after any "- ")
  std::string_view key, value;
};
KeyLine key_line(std::string_view line) {
  KeyLine k;
  std::size_t i = line.find_first_not_of(' ');
  if (i == std::string_view::npos || line[i] == '#') return k;
  if (line.compare(i, 2, "- ") == 0) i = line.find_first_not_of(' ', i + 1);
  if (i == std::string_view::npos) return k;
  k.indent = static_cast<int>(i);
  if (i >= line.size() || line[i] == '"' || line[i] == '\'' || line[i] == '{' || line[i] == '[') return k;
  for (std::size_t c = i; c < line.size(); ++c) {
    if (line[c] != ':') continue;
    if (c + 1 < line.size() && line[c + 1] != ' ') continue;
    k.is_key = true;
    k.key = line.substr(i, c - i);
    std::size_t v = line.find_first_not_of(' ', c + 1);
    k.value = v == std::string_view::npos ? std::string_view() : line.substr(v);
    return k;
  }
  return k;
}

// The nearest line above `index` that holds a key; its 0-based index, or -1.
int key_line_above(std::string_view text, int index, KeyLine& found) {
  for (int l = index - 1; l >= 0; --l) {
    KeyLine k = key_line(line_at(text, l));
    if (k.is_key) {
      found = k;
      return l;
    }
    std::string_view line = line_at(text, l);
    if (line.find_first_not_of(' ') != std::string_view::npos && line[line.find_first_not_of(' ')] != '#')
      return -1;
  }
  return -1;
}

// What yaml-cpp's terse messages mean for the commonest mistakes: a value
// with ": " in it, and a key indented more or less than its neighbours.
std::string yaml_syntax_hint(std::string_view text, const yaml::Mark& mark, const std::string& message) {
  const bool illegal_value = message.find("illegal map value") != std::string::npos;
  const bool map_not_ended = message.find("end of map not found") != std::string::npos;
  if (!illegal_value && !map_not_ended) return {};
  const std::string_view line = line_at(text, mark.line);
  const KeyLine here = key_line(line);
  if (!here.is_key) return {};
  if (illegal_value && here.value.find(": ") != std::string_view::npos) {
    std::string quoted;
    for (char c : here.value) quoted += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
    return "; a colon followed by a space starts a mapping: quote the value, as in " + std::string(here.key) +
           ": \"" + quoted + "\"";
  }
  KeyLine above;
  const int above_line = key_line_above(text, mark.line, above);
  if (above_line < 0) return {};
  const std::string where =
      " (line " + std::to_string(above_line + 1) + ", '" + std::string(above.key) + "')";
  if (illegal_value && here.indent > above.indent && !above.value.empty())
    return "; this key is indented more than the key above it" + where +
           ": the fields of one entity line up under each other";
  if (map_not_ended && here.indent < above.indent)
    return "; this key is indented less than the key above it" + where +
           ": the fields of one entity line up under each other";
  return {};
}

// Turns one file's YAML into entities of `builder.model`.
class FileLoader : public yaml::Sink {
 public:
  FileLoader(ModelBuilder& builder, const std::string& file, std::string_view text)
      : b_(builder), file_(file), text_(text), start_(builder.diagnostics.checkpoint()) {}

  // yaml-cpp counts columns in bytes; count characters (UTF-8 lead bytes)
  // instead. Counting from the start of the line for every position would be
  // quadratic in the line's length (a one-line model of flow style), so the
  // count moves from the last position asked for, which is nearly always on
  // the same line and close by.
  SourcePos pos(const yaml::Mark& m) const {
    const int end = std::min<int>(m.pos, static_cast<int>(text_.size()));
    const int line_start = std::max(0, end - m.column);
    auto chars = [this](int from, int to) {
      b_.position_bytes_scanned += static_cast<std::size_t>(to - from);
      int n = 0;
      for (int i = from; i < to; ++i) n += (static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80;
      return n;
    };
    if (m.line != cursor_line_ || line_start != cursor_line_start_) {
      cursor_line_ = m.line;
      cursor_line_start_ = cursor_byte_ = line_start;
      cursor_chars_ = 0;
    }
    if (end >= cursor_byte_) {
      cursor_chars_ += chars(cursor_byte_, end);
    } else if (cursor_byte_ - end < end - line_start) {
      cursor_chars_ -= chars(end, cursor_byte_);
    } else {
      cursor_chars_ = chars(line_start, end);
    }
    cursor_byte_ = end;
    return file_.at(m.line + 1, cursor_chars_ + 1);
  }
  SourcePos pos(NodeId n) const { return pos((*t_)[n].mark); }

  void error(NodeId n, std::string message) { b_.diagnostics.error(pos(n), std::move(message)); }

  // --- yaml::Sink ---
  bool streams(std::string_view key) const override { return kind_of_section(key) != nullptr; }

  void section_item(const Tree& tree, NodeId key, NodeId item) override {
    t_ = &tree;
    const KindSpec& kind = *kind_of_section(tree.scalar(key));
    if (++b_.entities > b_.limits.max_entities) {
      error(item, "more than " + std::to_string(b_.limits.max_entities) +
                      " entities in the model (--max-entities)");
      b_.fatal = true;
      throw StopLoading{};
    }
    if (tree[item].type != Node::Type::mapping) {
      error(item, "each entry of '" + std::string(kind.section) + "' must be a mapping (one " +
                      std::string(kind.singular) + "), found " + describe(item));
      return;
    }
    read_entity(kind, item);
  }

  void section(const Tree& tree, NodeId key, NodeId value) override {
    t_ = &tree;
    if (tree[key].type != Node::Type::scalar) {
      error(key, "top-level keys must be text, found " + describe(key));
      return;
    }
    std::string name(tree.scalar(key));
    auto seen = sections_seen_.find(name);
    if (seen != sections_seen_.end()) {
      error(key, "duplicate key '" + name + "'; first written at " + where(seen->second));
      return;
    }
    sections_seen_.emplace(name, pos(key));
    if (name == "model") {
      read_model_info(key, value);
      return;
    }
    if (const KindSpec* kind = kind_of_section(name)) {
      Node::Type type = tree[value].type;
      // An empty section (`flows:` with nothing under it) is an empty list.
      if (type != Node::Type::sequence && type != Node::Type::null)
        error(value, "'" + name + "' must be a list of " + std::string(kind->section) + ", found " +
                         describe(value));
      return;
    }
    std::string hint = b_.diagnostics.errors_full() ? "" : did_you_mean(name, section_names());
    error(key, "unknown top-level key '" + name + "'" +
                   (hint.empty() ? "; expected one of: " + join(section_names()) : hint));
  }

  void non_mapping_root(const Tree& tree, NodeId root) override {
    t_ = &tree;
    if (tree[root].type == Node::Type::null) {
      null_document_ = true;
      return;
    }
    error(root, "a model file must be a mapping of sections (" + join(section_names()) + "), found " +
                    describe(root));
  }

  void problem(yaml::Mark mark, std::string message, bool fatal) override {
    if (fatal) {
      // The file's structure is unknown past here: what was said about its
      // entities (a "missing" field that sits on a mis-indented line) would
      // mislead, so the syntax error is all this file reports.
      b_.diagnostics.rollback(start_);
      b_.fatal = true;
      message += yaml_syntax_hint(text_, mark, message);
    }
    b_.diagnostics.error(pos(mark), std::move(message));
  }

  bool null_document() const { return null_document_; }

 private:
  std::string where(const SourcePos& p) const {
    return p.file() + ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
  }

  std::string describe(NodeId n) const {
    switch ((*t_)[n].type) {
      case Node::Type::null:
        return "nothing";
      case Node::Type::sequence:
        return "a list";
      case Node::Type::mapping:
        return "a mapping";
      case Node::Type::scalar:
        break;
    }
    std::string_view s = t_->scalar(n);
    if (s.size() > 40) return "'" + std::string(s.substr(0, 37)) + "...'";
    return "'" + std::string(s) + "'";
  }

  // Checks a mapping's keys against `fields`; calls `read(field, key, value)`
  // for each known, not repeated one. `what()` names the mapping in messages
  // (built only for one).
  template <typename What, typename Read>
  void for_each_field(NodeId map, const std::vector<std::string_view>& fields, What what, Read read) {
    const Tree& t = *t_;
    std::array<NodeId, kMaxFields> seen;
    if (fields.size() > seen.size()) throw std::logic_error("for_each_field: too many fields");
    seen.fill(yaml::kNoNode);
    for (std::uint32_t i = 0; i < t.pairs(map); ++i) {
      NodeId key = t.key(map, i), value = t.value(map, i);
      if (t[key].type != Node::Type::scalar) {
        error(key, "keys must be text, found " + describe(key));
        continue;
      }
      std::string_view name = t.scalar(key);
      auto it = std::find(fields.begin(), fields.end(), name);
      if (it == fields.end()) {
        std::string hint = b_.diagnostics.errors_full() ? "" : did_you_mean(name, fields);
        error(key, "unknown field '" + std::string(name) + "' in " + what() +
                       (hint.empty() ? "; expected one of: " + join(fields) : hint));
        continue;
      }
      std::size_t f = static_cast<std::size_t>(it - fields.begin());
      if (seen[f] != yaml::kNoNode) {
        error(key, "duplicate key '" + std::string(name) + "'; first written at " + where(pos(seen[f])));
        continue;
      }
      seen[f] = key;
      read(name, key, value);
    }
  }

  // --- scalar readers: each reports its own error and returns false ---

  // `expected()` says what the value should be; it is built only for a message.
  template <typename Expected>
  bool need_scalar(std::string_view field, NodeId v, Expected expected) {
    Node::Type type = (*t_)[v].type;
    if (type == Node::Type::scalar) return true;
    if (type == Node::Type::null)
      error(v, "'" + std::string(field) + "' has no value");
    else
      error(v, "'" + std::string(field) + "' must be " + std::string(expected()) + ", found " + describe(v));
    return false;
  }

  bool read_text(std::string_view field, NodeId v, std::string& out) {
    if (!need_scalar(field, v, [] { return "text"; })) return false;
    out = t_->scalar(v);
    return true;
  }

  bool read_bool(std::string_view field, NodeId v, bool& out) {
    if (!need_scalar(field, v, [] { return "true or false"; })) return false;
    std::string_view s = t_->scalar(v);
    if ((*t_)[v].plain && (s == "true" || s == "false")) {
      out = s == "true";
      return true;
    }
    error(v, "'" + std::string(field) + "' must be true or false, found " + describe(v));
    return false;
  }

  bool read_date(std::string_view field, NodeId v, std::optional<Date>& out) {
    if (!need_scalar(field, v, [] { return "a date"; })) return false;
    auto d = Date::parse(t_->scalar(v));
    if (!d) {
      error(v, "invalid date " + describe(v) + " for '" + std::string(field) +
                   "': expected YYYY, YYYY-MM or YYYY-MM-DD");
      return false;
    }
    out = d;
    return true;
  }

  bool read_enum(const FieldSpec& f, NodeId v, Entity& e) {
    const std::vector<std::string_view>& values = *f.values;
    std::string_view field = f.name;
    if (!need_scalar(field, v, [&] { return "one of: " + join(values); })) return false;
    std::string_view s = t_->scalar(v);
    auto it = std::find(values.begin(), values.end(), s);
    if (it != values.end()) {
      f.set_enum(f.storage(e), static_cast<std::size_t>(it - values.begin()));
      return true;
    }
    std::string hint = b_.diagnostics.errors_full() ? "" : did_you_mean(s, values);
    error(v,
          "invalid " + std::string(field) + " " + describe(v) + hint + "; expected one of: " + join(values));
    return false;
  }

  bool read_ref(std::string_view field, NodeId v, std::string_view what, std::optional<Ref>& out) {
    Ref r;
    if (!read_ref(field, v, what, r)) return false;
    out = std::move(r);
    return true;
  }

  // Every reference costs memory for as long as the model lives: count them
  // against --max-references so a file of nothing but references is refused.
  void count_reference(NodeId n) {
    if (++b_.references <= b_.limits.max_references) return;
    error(n, "more than " + std::to_string(b_.limits.max_references) +
                 " references in the model (--max-references)");
    b_.fatal = true;
    throw StopLoading{};
  }

  bool read_ref(std::string_view field, NodeId v, std::string_view what, Ref& out) {
    if (!need_scalar(field, v, [&] { return "a " + std::string(what) + " id"; })) return false;
    count_reference(v);
    out.id = t_->scalar(v);
    out.index = kNone;
    out.pos = pos(v);
    return true;
  }

  bool read_refs(std::string_view field, NodeId v, std::string_view what, Refs& out) {
    const Tree& t = *t_;
    if (t[v].type != Node::Type::sequence) {
      if (t[v].type == Node::Type::null)
        error(v, "'" + std::string(field) + "' has no value");
      else
        error(v, "'" + std::string(field) + "' must be a list of " + std::string(what) + " ids, found " +
                     describe(v));
      return false;
    }
    out.clear();
    out.reserve(t[v].count);
    for (std::uint32_t i = 0; i < t[v].count; ++i) {
      NodeId item = t.child(v, i);
      if (t[item].type != Node::Type::scalar) {
        error(item, "each entry of '" + std::string(field) + "' must be a " + std::string(what) +
                        " id, found " + describe(item));
        continue;
      }
      count_reference(item);
      out.push_back(Ref{std::string(t.scalar(item)), kNone, pos(item)});
    }
    return true;
  }

  void read_holdings(std::string_view field, NodeId v, Holdings& out) {
    if ((*t_)[v].type != Node::Type::mapping) {
      if ((*t_)[v].type == Node::Type::null)
        error(v, "'" + std::string(field) + "' has no value");
      else
        error(v, "'" + std::string(field) + "' must be a mapping {identifiers: [ids], data: [ids]}, found " +
                     describe(v));
      return;
    }
    for_each_field(
        v, holdings_fields(), [&] { return "'" + std::string(field) + "'"; },
        [&](std::string_view name, NodeId, NodeId value) {
          // "holds.data": reuses one buffer, as this runs for most entities.
          qualified_.assign(field).append(".").append(name);
          if (name == "identifiers")
            read_refs(qualified_, value, "identifier", out.identifiers);
          else
            read_refs(qualified_, value, "data item", out.data);
        });
  }

  void read_citations(NodeId v, std::vector<Citation>& out) {
    const Tree& t = *t_;
    if (t[v].type != Node::Type::sequence) {
      error(v, "'sources' must be a list of source ids or {source: ID, at: \"...\"}, found " + describe(v));
      return;
    }
    out.reserve(out.size() + t[v].count);
    for (std::uint32_t i = 0; i < t[v].count; ++i) {
      NodeId item = t.child(v, i);
      Citation c;
      count_reference(item);
      if (t[item].type == Node::Type::scalar) {
        c.source = t.scalar(item);
        c.pos = pos(item);
        out.push_back(std::move(c));
        continue;
      }
      if (t[item].type != Node::Type::mapping) {
        error(item, "each entry of 'sources' must be a source id or {source: ID, at: \"...\"}, found " +
                        describe(item));
        continue;
      }
      bool has_source = false;
      for_each_field(
          item, citation_fields(), [] { return "a source citation"; },
          [&](std::string_view name, NodeId, NodeId value) {
            if (name == "source") {
              if (read_text(name, value, c.source)) {
                has_source = true;
                c.pos = pos(value);
              }
            } else {
              read_text(name, value, c.at);
            }
          });
      if (!has_source) {
        error(item, "a source citation needs 'source' (a source id)");
        continue;
      }
      out.push_back(std::move(c));
    }
  }

  // --- entities ---

  // Reads one field's value into `e`, as the kind table describes it.
  void read_field(const FieldSpec& f, NodeId v, Entity& e) {
    switch (f.type) {
      case FieldType::id:
        if (read_text(f.name, v, e.id)) {
          e.pos = pos(v);
          id_node_ = v;
          if (!is_valid_id(e.id))
            error(
                v,
                "malformed id " + describe(v) +
                    ": use lowercase letters a-z, digits, '_', '.' and '-', starting with a letter or digit");
        }
        return;
      case FieldType::text:
        read_text(f.name, v, f.get<std::string>(e));
        return;
      case FieldType::boolean:
        read_bool(f.name, v, f.get<bool>(e));
        return;
      case FieldType::fraction:
        read_fraction(f.name, v, f.get<std::optional<double>>(e));
        return;
      case FieldType::date:
        if (read_date(f.name, v, f.get<std::optional<Date>>(e))) {
          if (f.name == "since") since_node_ = v;
          if (f.name == "until") until_node_ = v;
        }
        return;
      case FieldType::enumeration:
        read_enum(f, v, e);
        return;
      case FieldType::ref: {
        std::string_view what = kind_spec(f.target).singular;
        if (f.optional_ref())
          read_ref(f.name, v, what, f.get<std::optional<Ref>>(e));
        else
          read_ref(f.name, v, what, f.get<Ref>(e));
        return;
      }
      case FieldType::refs:
        read_refs(f.name, v, kind_spec(f.target).singular, f.get<Refs>(e));
        return;
      case FieldType::holdings:
        read_holdings(f.name, v, f.get<Holdings>(e));
        return;
      case FieldType::citations:
        read_citations(v, e.sources);
        return;
      case FieldType::dated_refs:
        read_dated_refs(f, v, f.get<DatedRefs>(e));
        return;
    }
  }

  // A list of ids, or of {KEY: ID, since: D, until: D} (a person's groups and acts).
  void read_dated_refs(const FieldSpec& f, NodeId v, DatedRefs& out) {
    const Tree& t = *t_;
    const std::string what(kind_spec(f.target).singular), key(f.item_key);
    const std::string shape = what + " ids or {" + key + ": ID, since: D, until: D}";
    if (t[v].type != Node::Type::sequence) {
      if (t[v].type == Node::Type::null)
        error(v, "'" + std::string(f.name) + "' has no value");
      else
        error(v, "'" + std::string(f.name) + "' must be a list of " + shape + ", found " + describe(v));
      return;
    }
    const std::vector<std::string_view> fields{f.item_key, "since", "until"};
    out.reserve(t[v].count);
    for (std::uint32_t i = 0; i < t[v].count; ++i) {
      NodeId item = t.child(v, i);
      DatedRef d;
      if (t[item].type == Node::Type::scalar) {
        count_reference(item);
        d.ref = Ref{std::string(t.scalar(item)), kNone, pos(item)};
        out.push_back(std::move(d));
        continue;
      }
      if (t[item].type != Node::Type::mapping) {
        error(item, "each entry of '" + std::string(f.name) + "' must be a " + what + " id or {" + key +
                        ": ID, since: D, until: D}, found " + describe(item));
        continue;
      }
      bool has_ref = false;
      NodeId until_node = yaml::kNoNode;
      for_each_field(
          item, fields, [&] { return "an entry of '" + std::string(f.name) + "'"; },
          [&](std::string_view name, NodeId, NodeId value) {
            if (name == f.item_key) {
              has_ref = read_ref(name, value, what, d.ref);
            } else if (name == "since") {
              read_date(name, value, d.since);
            } else if (read_date(name, value, d.until)) {
              until_node = value;
            }
          });
      if (!has_ref) {
        error(item, "an entry of '" + std::string(f.name) + "' needs '" + key + "' (a " + what + " id)");
        continue;
      }
      if (d.since && d.until && *d.until <= *d.since)
        error(until_node,
              "'until' (" + d.until->written() + ") must be later than 'since' (" + d.since->written() + ")");
      out.push_back(std::move(d));
    }
  }

  // The value node of a field of the entity being read, or kNoNode.
  NodeId node_of(std::string_view field) const {
    for (const auto& [name, node] : present_)
      if (name == field) return node;
    return yaml::kNoNode;
  }
  bool has(std::string_view field) const { return node_of(field) != yaml::kNoNode; }

  void read_entity(const KindSpec& kind, NodeId map) {
    id_node_ = since_node_ = until_node_ = yaml::kNoNode;
    present_.clear();
    Entity& e = kind.emplace(b_.model);
    e.pos = pos(map);
    for_each_field(
        map, kind.field_names, [&] { return "a " + std::string(kind.singular); },
        [&](std::string_view name, NodeId, NodeId v) {
          present_.emplace_back(name, v);
          read_field(*kind.field(name), v, e);
        });
    if (e.since && e.until && *e.until <= *e.since)
      error(until_node_,
            "'until' (" + e.until->written() + ") must be later than 'since' (" + e.since->written() + ")");
    if (id_node_ == yaml::kNoNode) {
      if (!has("id")) error(map, "missing required field 'id' in a " + std::string(kind.singular));
      kind.pop(b_.model);  // an entity without an id cannot be referred to
      return;
    }
    for (const FieldSpec& f : kind.fields)
      if (f.required && f.type != FieldType::id && !has(f.name))
        error(map, "missing required field '" + std::string(f.name) + "' in " + std::string(kind.singular) +
                       " '" + e.id + "'");
    check_entity(kind.kind, map, e);
  }

  // What a kind's fields mean together, beyond each field's own type.
  void check_entity(EntityKind kind, NodeId map, Entity& e) {
    switch (kind) {
      case EntityKind::source: {
        auto& s = static_cast<Source&>(e);
        if (!has("name")) s.name = s.title;
        return;
      }
      case EntityKind::identifier: {
        auto& i = static_cast<Identifier&>(e);
        if (!has("kind")) return;
        NodeId composed_node = node_of("composed_of");
        if (i.kind == IdentifierKind::quasi && i.composed_of.empty())
          error(composed_node != yaml::kNoNode ? composed_node : map,
                "quasi identifier '" + i.id +
                    "' needs a non-empty 'composed_of' (the data items that together identify a person)");
        if (i.kind != IdentifierKind::quasi && composed_node != yaml::kNoNode)
          error(composed_node, "'composed_of' is only allowed for identifiers of kind quasi ('" + i.id +
                                   "' is of kind " + std::string(to_string(i.kind)) + ")");
        return;
      }
      default:
        return;
    }
  }

  void read_fraction(std::string_view field, NodeId v, std::optional<double>& out) {
    if (!need_scalar(field, v, [] { return "a number from 0 to 1"; })) return;
    std::string s(t_->scalar(v));
    char* end = nullptr;
    errno = 0;
    double x = std::strtod(s.c_str(), &end);
    if (!(*t_)[v].plain || s.empty() || end != s.c_str() + s.size() || errno != 0 ||
        !(x >= 0.0 && x <= 1.0)) {
      error(v, "'" + std::string(field) + "' must be a number from 0 to 1, found " + describe(v));
      return;
    }
    out = x;
  }

  void read_model_info(NodeId key, NodeId value) {
    if (b_.model.info) {
      error(key, "'model' is defined more than once; first defined at " + where(b_.model.info->pos));
      return;
    }
    if ((*t_)[value].type != Node::Type::mapping) {
      error(value, "'model' must be a mapping with name, name_en, description and default_lang, found " +
                       describe(value));
      return;
    }
    ModelInfo info;
    info.pos = pos(key);
    for_each_field(
        value, model_fields(), [] { return "'model'"; },
        [&](std::string_view name, NodeId, NodeId v) {
          if (name == "name")
            read_text(name, v, info.name);
          else if (name == "name_en")
            read_text(name, v, info.name_en);
          else if (name == "description")
            read_text(name, v, info.description);
          else if (need_scalar(name, v, [] { return "one of: ja, en"; })) {
            static const std::vector<std::string_view> langs{"ja", "en"};
            std::string_view text = t_->scalar(v);
            if (auto lang = parse_lang(text)) {
              info.default_lang = *lang;
            } else {
              std::string hint = b_.diagnostics.errors_full() ? "" : did_you_mean(text, langs);
              error(v, "invalid default_lang " + describe(v) + hint + "; expected one of: ja, en");
            }
          }
        });
    b_.model.info = std::move(info);
  }

  ModelBuilder& b_;
  SourcePos file_;  // shares the file name with every position made here
  std::string_view text_;
  // Where pos() last counted: a line, its first byte, a byte on it and the
  // characters before that byte.
  mutable int cursor_line_ = -1, cursor_line_start_ = 0, cursor_byte_ = 0, cursor_chars_ = 0;
  const Tree* t_ = nullptr;
  std::map<std::string, SourcePos> sections_seen_;
  NodeId id_node_ = yaml::kNoNode, since_node_ = yaml::kNoNode, until_node_ = yaml::kNoNode;
  std::vector<std::pair<std::string_view, NodeId>> present_;  // fields of the entity being read
  std::string qualified_;                                     // see read_holdings
  bool null_document_ = false;
  Diagnostics::Checkpoint start_;  // what was collected before this file
};

// The 1-based line and character column of byte `offset`.
SourcePos position_of_byte(const std::string& file, std::string_view text, std::size_t offset) {
  int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
  std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  line_start = (line_start == std::string_view::npos || offset == 0) ? 0 : line_start + 1;
  int chars = 0;
  for (std::size_t i = line_start; i < offset; ++i)
    chars += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  return SourcePos(file, line, chars + 1);
}

void load_text(ModelBuilder& builder, std::string_view text, const std::string& file) {
  std::size_t bad = text::find_invalid_utf8(text);
  if (bad != std::string_view::npos) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned char>(text[bad]));
    builder.diagnostics.error(position_of_byte(file, text, bad),
                              std::string("invalid UTF-8 (byte ") + byte + "); model files must be UTF-8");
    builder.fatal = true;
    return;
  }
  yaml::Limits limits;
  limits.max_depth = builder.limits.max_depth;
  limits.max_string_bytes = builder.limits.max_string_bytes;
  FileLoader loader(builder, file, text);
  bool had_document = true;
  try {
    had_document = yaml::parse(text, limits, loader);
  } catch (const StopLoading&) {
  }
  // An empty file is allowed (it adds nothing) but is probably a mistake.
  if (!had_document || loader.null_document()) {
    builder.diagnostics.warning(SourcePos(file), "empty file; it adds nothing to the model");
  }
}

void io_error(LoadResult& result, const fs::path& path, const std::string& what) {
  result.diagnostics.error(SourcePos(path.string()), what);
  result.io_failure = true;
}

// The name a file has in messages: "<stdin>" for "-".
std::string input_name(const fs::path& path) { return path == "-" ? "<stdin>" : path.string(); }

// Reads a whole file, pipe or device to its end (model/input_file.h),
// refusing more than the limit as it reads.
bool read_file(LoadResult& result, ModelBuilder& builder, const fs::path& path, std::string& text) {
  InputRead read = read_input_file(path, builder.limits.max_file_bytes, text);
  if (read.status == InputRead::Status::failed) {
    io_error(result, input_name(path), read.message);
    return false;
  }
  if (read.status == InputRead::Status::too_large) {
    result.diagnostics.error(SourcePos(input_name(path)), read.message);
    builder.fatal = true;
    return false;
  }
  return true;
}

// Whole-model checks, then the model itself when nothing was wrong.
void finish(LoadResult& result, ModelBuilder& builder) {
  result.position_bytes_scanned = builder.position_bytes_scanned;
  if (result.io_failure) return;
  if (!builder.fatal) validate(builder.model, result.diagnostics);
  if (!result.diagnostics.has_errors()) result.model = std::move(builder.model);
}

// Loads files[from..] one by one into `builder`; false when a file cannot be
// read at all (the load stops there, as an I/O failure).
bool load_in_order(ModelBuilder& builder, LoadResult& result, const std::vector<fs::path>& files,
                   std::size_t from, const ModelFileObserver& observer) {
  std::string text;  // one buffer for every file: its pages are reused, not faulted in again
  for (std::size_t i = from; i < files.size(); ++i) {
    if (!read_file(result, builder, files[i], text)) {
      if (result.io_failure) return false;
      continue;
    }
    std::string name = input_name(files[i]);
    if (observer) observer(name, text);
    load_text(builder, text, name);
    result.diagnostics.attach_source(name, text);
  }
  return true;
}

unsigned load_threads(unsigned asked, std::size_t files) {
  unsigned n = asked != 0 ? asked : std::max(1u, std::thread::hardware_concurrency());
  n = std::min(n, kMaxLoadThreads);
  return static_cast<unsigned>(std::min<std::size_t>(n, files));
}

// One file loaded on its own by load_in_parallel: what loading it into the
// whole model's builder would have added.
struct FileLoad {
  std::string name;
  std::string text;  // kept until merged: the observer sees it on the calling thread
  bool read = false;
  Diagnostics diagnostics;
  Model model;
  std::size_t entities = 0, references = 0, position_bytes_scanned = 0;
  bool fatal = false;
  std::promise<void> done;
};

void load_alone(FileLoad& file, const fs::path& path, const LoadLimits& limits) {
  InputRead read = read_input_file(path, limits.max_file_bytes, file.text);
  if (read.status != InputRead::Status::ok) return;  // load_in_order says why
  file.read = true;
  ModelBuilder alone{Model{}, file.diagnostics, limits};
  load_text(alone, file.text, file.name);
  file.diagnostics.attach_source(file.name, file.text);
  file.model = std::move(alone.model);
  file.entities = alone.entities;
  file.references = alone.references;
  file.position_bytes_scanned = alone.position_bytes_scanned;
  file.fatal = alone.fatal;
}

// Whether adding `file` to `builder` gives exactly what loading it into
// `builder` would: not when something depends on the files before it (the
// limits on the whole model, a second 'model' section), when it could not
// be read, or when it said more than its messages keep.
bool mergeable(const ModelBuilder& builder, const FileLoad& file) {
  const Diagnostics& d = file.diagnostics;
  return file.read && builder.entities + file.entities <= builder.limits.max_entities &&
         builder.references + file.references <= builder.limits.max_references &&
         !(builder.model.info && file.model.info) && d.error_count() + d.warning_count() == d.all().size();
}

template <typename T>
void append(std::vector<T>& to, std::vector<T>& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

void merge(ModelBuilder& builder, Diagnostics& diagnostics, FileLoad& file) {
  for (const Diagnostic& d : file.diagnostics.all()) diagnostics.add(d);
  Model& to = builder.model;
  Model& from = file.model;
  append(to.sources, from.sources);
  append(to.actors, from.actors);
  append(to.laws, from.laws);
  append(to.identifiers, from.identifiers);
  append(to.data, from.data);
  append(to.systems, from.systems);
  append(to.flows, from.flows);
  append(to.groups, from.groups);
  append(to.consent_acts, from.consent_acts);
  append(to.persons, from.persons);
  append(to.assessments, from.assessments);
  if (from.info) to.info = std::move(from.info);
  builder.entities += file.entities;
  builder.references += file.references;
  builder.position_bytes_scanned += file.position_bytes_scanned;
  builder.fatal = builder.fatal || file.fatal;
}

// Reads and parses the files on `workers` threads, each file on its own,
// and merges them into `builder` in order. Returns how many files were
// merged: at the first file that cannot be merged exactly (mergeable) the
// rest is left to load_in_order, so every message is the one-by-one load's.
std::size_t load_in_parallel(ModelBuilder& builder, LoadResult& result, const std::vector<fs::path>& files,
                             const ModelFileObserver& observer, unsigned workers) {
  std::vector<FileLoad> loads(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    loads[i].name = input_name(files[i]);
    (void)SourcePos(loads[i].name);  // numbers the file names in file order, not in the threads' order
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  auto work = [&] {
    for (std::size_t i; !stop && (i = next++) < files.size();) {
      try {
        load_alone(loads[i], files[i], builder.limits);
        loads[i].done.set_value();
      } catch (...) {
        loads[i].done.set_exception(std::current_exception());
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < workers; ++t) threads.emplace_back(work);
  struct Join {
    std::vector<std::thread>& threads;
    std::atomic<bool>& stop;
    ~Join() {
      stop = true;
      for (std::thread& t : threads) t.join();
    }
  } join{threads, stop};
  std::size_t merged = 0;
  for (; merged < files.size(); ++merged) {
    FileLoad& file = loads[merged];
    file.done.get_future().get();  // rethrows what loading it threw (std::bad_alloc)
    if (!mergeable(builder, file)) break;
    if (observer) observer(file.name, file.text);
    merge(builder, result.diagnostics, file);
    std::string().swap(file.text);
    file.model = Model{};
  }
  return merged;
}
}  // namespace

bool is_model_file(const fs::path& p) {
  std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml";
}

ModelFileList list_model_files(const fs::path& directory, const LoadLimits& limits) {
  ModelFileList out;
  std::error_code ec;
  fs::recursive_directory_iterator it(directory, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (is_model_file(it->path()) && it->is_regular_file(ec)) out.files.push_back(it->path());
    if (out.files.size() > limits.max_files) {
      out.problem = ModelFileList::Problem::too_many;
      return out;
    }
  }
  if (ec) {
    out.problem = ModelFileList::Problem::unreadable;
    out.error = ec;
  } else if (out.files.empty()) {
    out.problem = ModelFileList::Problem::empty;
  }
  std::sort(out.files.begin(), out.files.end());
  return out;
}

LoadResult load_model_text(std::string_view text, const std::string& file_name, const LoadLimits& limits) {
  LoadResult result;
  ModelBuilder builder{Model{}, result.diagnostics, limits};
  if (text.size() > limits.max_file_bytes) {
    result.diagnostics.error(SourcePos(file_name),
                             "file is " + std::to_string(text.size()) + " bytes, larger than the limit of " +
                                 std::to_string(limits.max_file_bytes) + " bytes (--max-file-bytes)");
    return result;
  }
  load_text(builder, text, file_name);
  finish(result, builder);
  result.diagnostics.attach_source(file_name, text);
  return result;
}

LoadResult load_model(const fs::path& path, const LoadLimits& limits, const ModelFileObserver& observer) {
  LoadResult result;
  ModelBuilder builder{Model{}, result.diagnostics, limits};
  std::error_code ec;
  fs::file_status status = path == "-" ? fs::file_status(fs::file_type::fifo) : fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    io_error(result, path, "cannot read: " + (ec ? ec.message() : std::string("No such file or directory")));
    return result;
  }
  std::vector<fs::path> files;
  if (fs::is_directory(status)) {
    ModelFileList list = list_model_files(path, limits);
    switch (list.problem) {
      case ModelFileList::Problem::unreadable:
        io_error(result, path, "cannot read directory: " + list.error.message());
        return result;
      case ModelFileList::Problem::too_many:
        result.diagnostics.error(SourcePos(path.string()), "more than " + std::to_string(limits.max_files) +
                                                               " model files in the directory (--max-files)");
        return result;
      case ModelFileList::Problem::empty:
        io_error(result, path, "no model files (*.yaml, *.yml) in this directory");
        return result;
      case ModelFileList::Problem::none:
        break;
    }
    files = std::move(list.files);
  } else {
    files.push_back(path);
  }
  std::size_t next = 0;
  const unsigned workers = load_threads(limits.threads, files.size());
  if (workers > 1) next = load_in_parallel(builder, result, files, observer, workers);
  if (!load_in_order(builder, result, files, next, observer)) return result;
  finish(result, builder);
  return result;
}

}  // namespace imozuru
