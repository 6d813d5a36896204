// Diagrams of a model at a date, drawn in-process with Graphviz (cgraph/gvc).
//
// Views: `flows` (systems by sector, flows between them), `sectors` (one
// node per sector, the flows between sectors summed up: the whole ecosystem
// on one slide), `linkage` (systems and identifiers as a bipartite map of who
// joins whom), `chain` (a reach or chains result highlighted on the faded
// linkage map, or alone; open and restricted joins drawn apart), `person`
// (the systems holding one person's records, by sector, with the flows
// between them: needs the model for a person).
// Layout and rendering run in a LayoutProcess (render/layout_process.h), a
// forked child with a time and memory limit, so a Graphviz crash, exit() or
// endless layout becomes a RenderError.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/as_of.h"
#include "model/model.h"

namespace imozuru::render {

enum class View { flows, sectors, linkage, chain, person };
enum class Format { dot, svg, png, pdf };

std::optional<View> parse_view(std::string_view);
std::string_view to_string(View);
// The format named by a path's extension (.svg .png .pdf .dot, any case).
std::optional<Format> format_from_path(const std::filesystem::path&);

// Graphviz layout engines the renderer offers. `automatic` is dot up to
// kDotMaxNodes nodes and sfdp above, where dot's layered layout gets slow
// (measured in docs/performance.md).
enum class Engine { automatic, dot, sfdp, fdp, neato };
inline constexpr std::size_t kDotMaxNodes = 1500;
std::optional<Engine> parse_engine(std::string_view);

// A slide or page the diagram is fitted to (docs/cli.md, "render"): its size
// in inches and the name it was given.
struct Canvas {
  std::string name;
  double width_in = 0, height_in = 0;
};
// "16:9" (13.33 × 7.5 in, a widescreen slide), "4:3" (10 × 7.5 in), "a4"
// (8.27 × 11.69 in), "a4-landscape", or WIDTHxHEIGHT with a unit: in, mm or
// px (96 per inch), e.g. 1920x1080px. nullopt for anything else.
std::optional<Canvas> parse_canvas(std::string_view);
std::string_view to_string(Engine);

// One step of a chain, shaped like the JSON of docs/cli.md: a `holds` hop
// (system with identifier or data) or a `flow` hop (flow from → to).
struct HighlightHop {
  enum class Kind { holds, flow };
  Kind kind = Kind::holds;
  std::string system;      // holds
  std::string identifier;  // holds: one of identifier / data is set
  std::string data;
  std::string flow;  // flow: the flow id, and its ends
  std::string from, to;
};

// What the chain view emphasises, by entity id. Everything not named is
// drawn faded (or left out with `only`). Ids that name no active entity are
// ignored, so a query result from another date cannot break the drawing.
struct Highlight {
  std::string caption;  // e.g. "reach: identifier:my_number"; under the title
  std::vector<std::string> systems, identifiers, data, flows;
  std::map<std::string, int> system_depth;        // reach depth, shown on the node
  std::vector<std::vector<HighlightHop>> chains;  // each chain drawn in its own colour
  bool only = false;                              // draw only what is highlighted
};

inline constexpr std::size_t kDefaultLabelWidth = 24;
inline constexpr std::size_t kMinLabelWidth = 8;
inline constexpr std::size_t kMaxLabelWidth = 200;

struct RenderOptions {
  View view = View::flows;
  Format format = Format::svg;
  Lang lang = Lang::ja;
  int dpi = 150;                                          // PNG only
  double timeout_seconds = 60;                            // layout + render, in the child
  std::size_t memory_limit_bytes = std::size_t{2} << 30;  // child's address space
  std::size_t max_nodes = 10000;                          // larger diagrams are refused
  Engine engine = Engine::automatic;                      // the engine used is written into DOT as `layout`
  std::optional<Highlight> highlight;                     // used by View::chain
  // Flows view: draw only the systems of this sector (by its `sector` word),
  // with the systems they exchange flows with drawn faded. Empty: all sectors.
  std::string sector;
  // A time-lapse frame: the sector may have no system at this frame's date
  // (the frame draws none of it); otherwise that is a RenderError.
  bool sector_may_be_empty = false;
  // Give SVG elements stable ids and classes from entity ids, for pages whose
  // scripts find them: nodes "system:ID" / "identifier:ID" / "data:ID" /
  // "holder:SYS:ID", edges "holds:SYS:ID" / "flow:ID" (classes "system",
  // "identifier", "data", "holder", "holds", "flow"). Off: Graphviz's own ids.
  bool entity_ids = false;
  // Columns after which a label wraps onto a new line (at a space, or after
  // 、 in Japanese). Labels are wrapped, never cut: no "…" in a name.
  std::size_t label_width = kDefaultLabelWidth;
  // false: no title, subtitle or caption (a figure in a paper has its own);
  // the legend stays.
  bool title = true;
  // A line under the subtitle; in the chain view it replaces the caption
  // naming the query.
  std::string caption;
  // Sectors view: the slide form (docs/rendering.md, "Views"): one edge per
  // ordered pair of sectors, labelled with its number of flows (and ● when
  // one of them carries special-category data), styled by its consent mode
  // when all its flows share one and as "several consent modes" otherwise;
  // boxes give the sector's name and counts; every text larger, so the whole
  // ecosystem on a 16:9 slide is readable on a projector.
  bool brief = false;
  // Ranks from top to bottom instead of left to right (dot only).
  bool top_to_bottom = false;
  // Fit the drawing to this canvas: Graphviz size "W,H!" and ratio fill,
  // with the direction (left to right or top to bottom) whose own shape is
  // nearer the canvas's, chosen by laying out both (render_diagram).
  std::optional<Canvas> canvas;
  // Time-lapse frames (render/timelapse.h): legend entries shown whether or
  // not this diagram uses them, so that every frame has the same legend
  // (keys as Diagram::legend lists them, and "timelapse:new",
  // "timelapse:ghost"); and a frame's date or step, written large above the
  // title (empty: none).
  std::vector<std::string> legend_keys;
  std::string large_text;
  // Time-lapse frames: the systems (from, to) between which any frame draws
  // a flow (Diagram::flow_ends of every frame), so that of two flows in
  // opposite directions each has its label beside its own edge in every
  // frame, whichever of the two a frame draws (docs/rendering.md#views).
  std::set<std::pair<Index, Index>> frame_flow_ends;
};

// A render that could not finish: too large, timed out, out of memory,
// Graphviz failed. The message is one line for the user.
struct RenderError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The diagram as DOT text, before layout. Deterministic: the same model and
// options give the same bytes. A note on the engine chosen is appended to
// `messages` when given.
std::string diagram_dot(const ModelAt& at, const RenderOptions& options,
                        std::vector<std::string>* messages = nullptr);

// The diagram in `options.format`: diagram_dot, then a LayoutProcess made
// for it renders that text (DOT is returned as it is). The bytes are what
// Graphviz's `dot -T FORMAT` makes of the DOT file imozuru writes for the
// same diagram. Graphviz's warnings are appended to `messages` when given.
// Throws RenderError.
std::string render_diagram(const ModelAt& at, const RenderOptions& options,
                           std::vector<std::string>* messages = nullptr);

// render_diagram, then write_file_atomically: on any failure an existing
// file at `path` is left as it was. Throws RenderError or std::runtime_error.
void render_to_file(const ModelAt& at, const RenderOptions& options, const std::filesystem::path& path,
                    std::vector<std::string>* messages = nullptr);

}  // namespace imozuru::render
