// A compact YAML tree built from yaml-cpp's event API, handed over one
// top-level list entry at a time so memory stays bounded by one entity.
// Private to the loader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imozuru::yaml {

using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = static_cast<NodeId>(-1);

// Position as yaml-cpp gives it: byte offset, 0-based line, byte column.
struct Mark {
  int pos = 0, line = 0, column = 0;
};

struct Node {
  enum class Type : std::uint8_t { null, scalar, sequence, mapping };
  Type type = Type::null;
  bool plain = false;  // an unquoted scalar (so `true` is a boolean, `"true"` text)
  Mark mark;
  std::uint32_t text_offset = 0, text_size = 0;  // scalar text in Tree::text
  std::uint32_t first = 0, count = 0;  // children in Tree::children; a mapping's are key, value, key, …
};

struct Tree {
  std::vector<Node> nodes;
  std::vector<NodeId> children;
  std::string text;  // every scalar's text, back to back

  const Node& operator[](NodeId id) const { return nodes[id]; }
  std::string_view scalar(NodeId id) const {
    const Node& n = nodes[id];
    return std::string_view(text).substr(n.text_offset, n.text_size);
  }
  NodeId child(NodeId id, std::uint32_t i) const { return children[nodes[id].first + i]; }
  std::uint32_t pairs(NodeId mapping) const { return nodes[mapping].count / 2; }
  NodeId key(NodeId mapping, std::uint32_t i) const { return child(mapping, 2 * i); }
  NodeId value(NodeId mapping, std::uint32_t i) const { return child(mapping, 2 * i + 1); }
};

struct Limits {
  int max_depth = 64;
  std::size_t max_string_bytes = 64u << 10;
  std::size_t max_nodes = 4u << 20;  // kept at once (one entry, plus non-list sections)
};

// Receives the document piece by piece. `section_item` is called for every
// entry of a top-level list whose key `streams` accepts, then the entry is
// dropped; `section` for every top-level key once its value is complete
// (a streamed list then has no children left).
class Sink {
 public:
  virtual ~Sink() = default;
  virtual bool streams(std::string_view key) const = 0;
  virtual void section_item(const Tree& tree, NodeId key, NodeId item) = 0;
  virtual void section(const Tree& tree, NodeId key, NodeId value) = 0;
  // The root when it is not a mapping (a list, text or null).
  virtual void non_mapping_root(const Tree& tree, NodeId root) = 0;
  // A problem found while parsing; `fatal` ones stopped the parse.
  virtual void problem(Mark mark, std::string message, bool fatal) = 0;
};

// Parses `text` (already checked to be UTF-8: text::find_invalid_utf8) as one YAML document. Returns
// false when the document was empty (no content at all).
bool parse(std::string_view text, const Limits& limits, Sink& sink);

}  // namespace imozuru::yaml
