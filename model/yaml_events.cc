#include "model/yaml_events.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cctype>
#include <istream>
#include <streambuf>

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

Mark mark_of(const YAML::Mark& m) { return Mark{m.pos, m.line, m.column}; }

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::string_view text, const Limits& limits, Sink& sink) : text_(text), limits_(limits), sink_(sink) {}

  bool saw_document() const { return documents_ > 0; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1)
      throw Stop{mark_of(mark), "more than one YAML document in a file; a model file is one mapping"};
  }
  void OnDocumentEnd() override {
    if (root_ != kNoNode && tree_.nodes[root_].type != Node::Type::mapping) sink_.non_mapping_root(tree_, root_);
  }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { leaf(mark, Node::Type::null, false, {}); }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    sink_.problem(mark_of(mark), "aliases (" + spelled_at(mark, '*') + ") are not allowed in model files", false);
    leaf(mark, Node::Type::null, false, {});
  }

  void OnAnchor(const YAML::Mark& mark, const std::string& name) override {
    sink_.problem(mark_of(mark), "anchors (&" + name + ") are not allowed in model files", false);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t, const std::string& value) override {
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

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(mark, Node::Type::sequence);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
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
      throw Stop{mark_of(mark), "more than " + std::to_string(limits_.max_nodes) + " YAML nodes in one entry"};
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
  bool at_streamed_entry() const {
    return stack_.size() == 2 && streamed_list_ == stack_.back().node;
  }

  void leaf(const YAML::Mark& mark, Node::Type type, bool plain, std::string_view value) {
    bool entry = at_streamed_entry();
    Checkpoint cp{tree_.nodes.size(), tree_.children.size(), tree_.text.size()};
    NodeId id = add_node(mark, type, plain, value);
    finish(id, entry, cp);
  }

  void open(const YAML::Mark& mark, Node::Type type) {
    if (static_cast<int>(stack_.size()) >= limits_.max_depth)
      throw Stop{mark_of(mark), "nesting deeper than " + std::to_string(limits_.max_depth) + " levels (--max-depth)"};
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

  std::string_view text_;
  const Limits& limits_;
  Sink& sink_;
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
  MemoryBuffer buffer(text);
  std::istream in(&buffer);
  TreeBuilder builder(text, limits, sink);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const Stop& stop) {
    sink.problem(stop.mark, stop.message, true);
  } catch (const YAML::Exception& e) {
    sink.problem(mark_of(e.mark), "invalid YAML: " + e.msg, true);
  }
  return builder.saw_document();
}

}  // namespace imozuru::yaml
