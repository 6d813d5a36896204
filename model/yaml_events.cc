#include "model/yaml_events.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <istream>
#include <streambuf>
#include <vector>

namespace imozuru::yaml {
namespace {

// Reads a buffer in place (std::istringstream would copy the whole file).
class MemoryBuffer : public std::streambuf {
 public:
  explicit MemoryBuffer(std::string_view text) {
    char* p = const_cast<char*>(text.data());
    setg(p, p, p + text.size());
  }
};

// Thrown from the handler to stop yaml-cpp at once (depth, size, second
// document): yaml-cpp unwinds with its own RAII.
struct Stop {
  Mark mark;
  std::string message;
};

// ---- UTF-16 surrogate pairs in escapes
//
// JSON encoders write a character beyond U+FFFF as a pair of escapes,
// "\uD83D\uDE00"; yaml-cpp refuses each half ("invalid unicode"). A pair in
// a double-quoted scalar is therefore rewritten as the one escape yaml-cpp
// takes, "\U0001F600", before parsing, and positions are mapped back to the
// text as written. Only where yaml-cpp itself reads escapes: a first pass
// (DoubleQuoted below) finds the double-quoted scalars, so the same text in
// a plain or single-quoted scalar, a block scalar or a comment stays text.

constexpr std::size_t kPairLength = 12, kRewrittenLength = 10;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of "\uXXXX" at p, or -1.
long escape_unit(std::string_view text, std::size_t p) {
  if (p + 6 > text.size() || text[p] != '\\' || text[p + 1] != 'u') return -1;
  long v = 0;
  for (std::size_t k = 2; k < 6; ++k) {
    int d = hex_digit(text[p + k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

// Offsets of every "\uD8xx\uDCxx" pair not preceded by an odd run of
// backslashes (which would make its backslash an escaped one).
std::vector<std::size_t> surrogate_pairs(std::string_view text) {
  std::vector<std::size_t> found;
  for (std::size_t p = text.find("\\u"); p != std::string_view::npos; p = text.find("\\u", p + 1)) {
    long high = escape_unit(text, p), low = escape_unit(text, p + 6);
    if (high < 0xD800 || high > 0xDBFF || low < 0xDC00 || low > 0xDFFF) continue;
    std::size_t slashes = 0;
    while (slashes < p && text[p - 1 - slashes] == '\\') ++slashes;
    if (slashes % 2 == 0) found.push_back(p);
  }
  return found;
}

// `text` with the pairs at `at` (ascending) written as "\UXXXXXXXX".
std::string rewrite_pairs(std::string_view text, const std::vector<std::size_t>& at) {
  std::string out;
  out.reserve(text.size());
  std::size_t from = 0;
  for (std::size_t p : at) {
    long high = escape_unit(text, p), low = escape_unit(text, p + 6);
    unsigned long cp = 0x10000 + ((static_cast<unsigned long>(high) - 0xD800) << 10) +
                       (static_cast<unsigned long>(low) - 0xDC00);
    char escape[16];
    std::snprintf(escape, sizeof escape, "\\U%08lX", cp);
    out.append(text.substr(from, p - from));
    out.append(escape, kRewrittenLength);
    from = p + kPairLength;
  }
  out.append(text.substr(from));
  return out;
}

// The first pass: which candidate pairs lie inside double-quoted scalars.
// Events carry nothing else; nesting is still limited (yaml-cpp recurses).
class DoubleQuoted : public YAML::EventHandler {
 public:
  DoubleQuoted(std::string_view rewritten, const std::vector<std::size_t>& candidates, int max_depth)
      : text_(rewritten), max_depth_(max_depth), verified_(candidates.size(), false) {
    // Candidate k starts at candidates[k] - 2k in the rewritten text.
    for (std::size_t k = 0; k < candidates.size(); ++k) starts_.push_back(candidates[k] - 2 * k);
  }
  const std::vector<bool>& verified() const { return verified_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t, const std::string&) override {
    const auto start = static_cast<std::size_t>(mark.pos);
    if (tag != "!" || start >= text_.size() || text_[start] != '"') return;
    std::size_t end = start + 1;  // the closing quote: the first one not escaped
    while (end < text_.size() && text_[end] != '"') end += text_[end] == '\\' ? 2 : 1;
    auto it = std::lower_bound(starts_.begin(), starts_.end(), start);
    for (; it != starts_.end() && *it < end; ++it)
      verified_[static_cast<std::size_t>(it - starts_.begin())] = true;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    open();
  }
  void OnSequenceEnd() override { --depth_; }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open();
  }
  void OnMapEnd() override { --depth_; }

 private:
  struct TooDeep {};
  void open() {
    if (++depth_ > max_depth_) throw TooDeep{};
  }
  std::string_view text_;
  int max_depth_;
  int depth_ = 0;
  std::vector<std::size_t> starts_;
  std::vector<bool> verified_;
};

// Maps yaml-cpp's positions in the rewritten text back to the text as written.
class Positions {
 public:
  Positions() = default;
  // `at`: the rewritten pairs' offsets in the text as written; `text` that text.
  Positions(std::string_view text, const std::vector<std::size_t>& at) {
    std::size_t line = 0, scanned = 0;
    for (std::size_t k = 0; k < at.size(); ++k) {
      for (; scanned < at[k]; ++scanned) line += text[scanned] == '\n';
      rewritten_.push_back({at[k] - 2 * k, static_cast<int>(line)});
    }
  }
  Mark operator()(const YAML::Mark& m) const {
    Mark out{m.pos, m.line, m.column};
    if (rewritten_.empty()) return out;
    auto end = std::lower_bound(rewritten_.begin(), rewritten_.end(),
                                static_cast<std::size_t>(m.pos < 0 ? 0 : m.pos),
                                [](const Rewrite& r, std::size_t pos) { return r.pos < pos; });
    const auto before = static_cast<int>(end - rewritten_.begin());
    out.pos += 2 * before;
    for (auto it = end; it != rewritten_.begin() && (it - 1)->line == m.line; --it) out.column += 2;
    return out;
  }

 private:
  struct Rewrite {
    std::size_t pos;  // in the rewritten text
    int line;
  };
  std::vector<Rewrite> rewritten_;
};

// "\uD83D is half of a UTF-16 surrogate pair …" for yaml-cpp's message on a
// lone half, or empty.
std::string lone_surrogate(const std::string& msg) {
  const std::string prefix = YAML::ErrorMsg::INVALID_UNICODE;
  if (msg.compare(0, prefix.size(), prefix) != 0) return {};
  const unsigned long v = std::strtoul(msg.c_str() + prefix.size(), nullptr, 10);
  if (v < 0xD800 || v > 0xDFFF) return {};
  char unit[8];
  std::snprintf(unit, sizeof unit, "%04lX", v);
  return std::string("\\u") + unit +
         " is half of a UTF-16 surrogate pair; write both halves (such as \\uD83D\\uDE00) or the character "
         "itself";
}

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::string_view text, const Limits& limits, Sink& sink, const Positions& positions)
      : text_(text), limits_(limits), sink_(sink), mark_of(positions) {}

  bool saw_document() const { return documents_ > 0; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1)
      throw Stop{mark_of(mark), "more than one YAML document in a file; a model file is one mapping"};
  }
  void OnDocumentEnd() override {
    if (root_ != kNoNode && tree_.nodes[root_].type != Node::Type::mapping)
      sink_.non_mapping_root(tree_, root_);
  }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { leaf(mark, Node::Type::null, false, {}); }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    sink_.problem(mark_of(mark), "aliases (" + spelled_at(mark, '*') + ") are not allowed in model files",
                  false);
    leaf(mark, Node::Type::null, false, {});
  }

  void OnAnchor(const YAML::Mark& mark, const std::string& name) override {
    sink_.problem(mark_of(mark), "anchors (&" + name + ") are not allowed in model files", false);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                const std::string& value) override {
    if (value.size() > limits_.max_string_bytes) {
      sink_.problem(mark_of(mark),
                    "text of " + std::to_string(value.size()) + " bytes is longer than the limit of " +
                        std::to_string(limits_.max_string_bytes) + " bytes (--max-string-bytes)",
                    false);
      leaf(mark, Node::Type::scalar, false, {});
      return;
    }
    // yaml-cpp tags a plain scalar "?" and a quoted one "!".
    leaf(mark, Node::Type::scalar, tag == "?", value);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    open(mark, Node::Type::sequence);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    open(mark, Node::Type::mapping);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    NodeId node;
    std::size_t pending_start;  // its children so far: pending_[pending_start..]
  };
  struct Checkpoint {
    std::size_t nodes, children, text;
  };

  // `*name` (or `&name`) as written at the mark, for messages.
  std::string spelled_at(const YAML::Mark& mark, char sigil) const {
    std::size_t p = static_cast<std::size_t>(mark.pos);
    if (p >= text_.size() || text_[p] != sigil) return std::string(1, sigil) + "…";
    std::size_t e = p + 1;
    while (e < text_.size() && e - p < 64 && !std::isspace(static_cast<unsigned char>(text_[e])) &&
           text_[e] != ',' && text_[e] != ']' && text_[e] != '}')
      ++e;
    return std::string(text_.substr(p, e - p));
  }

  NodeId add_node(const YAML::Mark& mark, Node::Type type, bool plain, std::string_view value) {
    if (tree_.nodes.size() >= limits_.max_nodes)
      throw Stop{mark_of(mark),
                 "more than " + std::to_string(limits_.max_nodes) + " YAML nodes in one entry"};
    Node n;
    n.type = type;
    n.plain = plain;
    n.mark = mark_of(mark);
    n.text_offset = static_cast<std::uint32_t>(tree_.text.size());
    n.text_size = static_cast<std::uint32_t>(value.size());
    tree_.text.append(value);
    NodeId id = static_cast<NodeId>(tree_.nodes.size());
    tree_.nodes.push_back(n);
    if (stack_.empty()) root_ = id;
    return id;
  }

  // True when a node opened now is an entry of a streamed top-level list.
  bool at_streamed_entry() const { return stack_.size() == 2 && streamed_list_ == stack_.back().node; }

  void leaf(const YAML::Mark& mark, Node::Type type, bool plain, std::string_view value) {
    bool entry = at_streamed_entry();
    Checkpoint cp{tree_.nodes.size(), tree_.children.size(), tree_.text.size()};
    NodeId id = add_node(mark, type, plain, value);
    finish(id, entry, cp);
  }

  void open(const YAML::Mark& mark, Node::Type type) {
    if (static_cast<int>(stack_.size()) >= limits_.max_depth)
      throw Stop{mark_of(mark),
                 "nesting deeper than " + std::to_string(limits_.max_depth) + " levels (--max-depth)"};
    bool entry = at_streamed_entry();
    if (entry) entry_checkpoint_ = {tree_.nodes.size(), tree_.children.size(), tree_.text.size()};
    NodeId id = add_node(mark, type, false, {});
    // A list that is the value of a top-level key whose entries stream.
    if (type == Node::Type::sequence && stack_.size() == 1 && is_value_position()) {
      NodeId key = pending_.back();
      if (tree_[key].type == Node::Type::scalar && sink_.streams(tree_.scalar(key))) streamed_list_ = id;
    }
    stack_.push_back(Open{id, pending_.size()});
  }

  void close() {
    Open o = stack_.back();
    stack_.pop_back();
    Node& n = tree_.nodes[o.node];
    n.first = static_cast<std::uint32_t>(tree_.children.size());
    n.count = static_cast<std::uint32_t>(pending_.size() - o.pending_start);
    tree_.children.insert(tree_.children.end(), pending_.begin() + o.pending_start, pending_.end());
    pending_.resize(o.pending_start);
    bool entry = at_streamed_entry();
    if (o.node == streamed_list_) streamed_list_ = kNoNode;
    finish(o.node, entry, entry_checkpoint_);
  }

  // The next child of the root mapping is a value (it has an odd index).
  bool is_value_position() const {
    return tree_[stack_.front().node].type == Node::Type::mapping &&
           (pending_.size() - stack_.front().pending_start) % 2 == 1;
  }

  // A complete node: hand streamed entries and top-level values to the sink.
  void finish(NodeId id, bool streamed_entry, const Checkpoint& cp) {
    if (streamed_entry) {
      sink_.section_item(tree_, current_key(), id);
      tree_.nodes.resize(cp.nodes);
      tree_.children.resize(cp.children);
      tree_.text.resize(cp.text);
      return;
    }
    if (stack_.size() == 1 && tree_[stack_.front().node].type == Node::Type::mapping && is_value_position()) {
      sink_.section(tree_, pending_.back(), id);
    }
    if (!stack_.empty()) pending_.push_back(id);
  }

  // The key of the root mapping whose value is being built.
  NodeId current_key() const { return pending_.back(); }

  std::string_view text_;  // as yaml-cpp reads it (pairs rewritten)
  const Limits& limits_;
  Sink& sink_;
  const Positions& mark_of;  // yaml-cpp's marks → the text as written
  Tree tree_;
  std::vector<Open> stack_;
  std::vector<NodeId> pending_;
  NodeId root_ = kNoNode;
  NodeId streamed_list_ = kNoNode;
  Checkpoint entry_checkpoint_{};
  int documents_ = 0;
};

}  // namespace

bool parse(std::string_view text, const Limits& limits, Sink& sink) {
  // Surrogate pairs: found, checked to be inside double-quoted scalars, then
  // rewritten for the real parse (see DoubleQuoted). Text without any costs
  // one search for "\\u".
  std::vector<std::size_t> pairs = surrogate_pairs(text);
  std::string rewritten;
  if (!pairs.empty()) {
    rewritten = rewrite_pairs(text, pairs);
    MemoryBuffer buffer(rewritten);
    std::istream in(&buffer);
    DoubleQuoted first(rewritten, pairs, limits.max_depth);
    try {
      YAML::Parser parser(in);
      while (parser.HandleNextDocument(first)) {
      }
    } catch (...) {
      // The real parse below reports whatever stopped this one.
    }
    std::vector<std::size_t> inside;
    for (std::size_t k = 0; k < pairs.size(); ++k)
      if (first.verified()[k]) inside.push_back(pairs[k]);
    pairs = std::move(inside);
    rewritten = pairs.empty() ? std::string() : rewrite_pairs(text, pairs);
  }
  const std::string_view parsed = pairs.empty() ? text : std::string_view(rewritten);
  const Positions positions = pairs.empty() ? Positions() : Positions(text, pairs);

  MemoryBuffer buffer(parsed);
  std::istream in(&buffer);
  TreeBuilder builder(parsed, limits, sink, positions);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const Stop& stop) {
    sink.problem(stop.mark, stop.message, true);
  } catch (const YAML::Exception& e) {
    std::string lone = lone_surrogate(e.msg);
    if (!lone.empty()) {
      // yaml-cpp marks the end of the escape; point at its backslash.
      Mark at = positions(e.mark);
      at.pos = at.pos >= 6 ? at.pos - 6 : 0;
      at.column = at.column >= 6 ? at.column - 6 : 0;
      sink.problem(at, lone, true);
    } else {
      sink.problem(positions(e.mark), "invalid YAML: " + e.msg, true);
    }
  }
  return builder.saw_document();
}

}  // namespace imozuru::yaml
