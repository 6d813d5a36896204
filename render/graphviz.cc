#include "render/graphviz.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "render/render.h"
#include "text/join.h"

namespace imozuru::render {
namespace {

// Graphviz reports through one process-wide hook; its text arrives in pieces.
std::string& pending_messages() {
  static std::string text;
  return text;
}

int collect_message(char* text) {
  pending_messages() += text;
  return 0;
}

void route_graphviz_messages() {
  static bool routed = [] {
    agseterrf(collect_message);
    return true;
  }();
  (void)routed;
}

// cgraph's default discipline uses the address of a name's interned string
// as the object's id, and writes subgraphs in id order: the DOT text would
// then change from run to run. This one numbers objects in creation order
// from one counter (named objects even ids, anonymous ones odd, as cgraph
// expects) and keeps the names itself, interned in the graph's string pool
// as cgraph's own discipline does: agwrite looks at the pool's header of a
// name (is it an HTML string?), so a name must be a pool string. (Declining
// names and leaving them to cgraph's internal map is not enough: after an
// sfdp, fdp or neato layout agnameof no longer finds them there, and the SVG
// said "%3" for every node.)
struct CreationOrderIds {
  Agraph_t* root = nullptr;
  IDTYPE count = 0;
  std::unordered_map<std::string, IDTYPE> by_name;
  std::unordered_map<IDTYPE, char*> by_id;  // agstrdup'd; the pool goes with the graph
};
void* ids_open(Agraph_t* root, Agdisc_t*) {
  auto* ids = new CreationOrderIds;
  ids->root = root;
  return ids;
}
long ids_map(void* state, int, char* name, IDTYPE* id, int create) {
  auto* ids = static_cast<CreationOrderIds*>(state);
  if (!name) {
    if (!create) return 0;
    *id = 2 * ++ids->count + 1;
    return 1;
  }
  auto found = ids->by_name.find(name);
  if (found != ids->by_name.end()) {
    *id = found->second;
    return 1;
  }
  if (!create) return 0;
  *id = 2 * ++ids->count;
  ids->by_name.emplace(name, *id);
  ids->by_id.emplace(*id, agstrdup(ids->root, name));
  return 1;
}
// An object made with an id of the caller's choosing (agidnode): like
// cgraph's own discipline, only even ids, which must not be taken.
long ids_alloc(void* state, int, IDTYPE request) {
  auto* ids = static_cast<CreationOrderIds*>(state);
  if ((request & 1) != 0 || ids->by_id.count(request) != 0) return 0;
  ids->count = std::max(ids->count, request / 2);  // the counter never hands it out again
  return 1;
}
void ids_free(void*, int, IDTYPE) {}  // a name stays with its id while the graph lives
char* ids_print(void* state, int, IDTYPE id) {
  auto* ids = static_cast<CreationOrderIds*>(state);
  auto found = ids->by_id.find(id);
  return found == ids->by_id.end() ? nullptr : found->second;
}
void ids_close(void* state) { delete static_cast<CreationOrderIds*>(state); }
void ids_register(void*, int, void*) {}
Agiddisc_t creation_order_ids = {ids_open, ids_map, ids_alloc, ids_free, ids_print, ids_close, ids_register};
Agdisc_t deterministic_disc = {&AgMemDisc, &creation_order_ids, &AgIoDisc};

}  // namespace

void set_prototype_defaults() {
  static bool done = [] {
    agattr(nullptr, AGNODE, const_cast<char*>("label"), const_cast<char*>("\\N"));  // as gvContext does
    return true;
  }();
  (void)done;
}

std::vector<std::string> take_graphviz_messages() {
  std::string& text = pending_messages();
  std::vector<std::string> lines = text::non_empty_lines(text);
  text.clear();
  return lines;
}

GraphvizContext::GraphvizContext() {
  route_graphviz_messages();
  gvc_ = gvContext();
  if (!gvc_) throw RenderError("cannot start Graphviz (gvContext failed)");
}
GraphvizContext::~GraphvizContext() {
  if (gvc_) gvFreeContext(gvc_);
}
GraphvizContext::GraphvizContext(GraphvizContext&& other) noexcept
    : gvc_(std::exchange(other.gvc_, nullptr)) {}
GraphvizContext& GraphvizContext::operator=(GraphvizContext&& other) noexcept {
  std::swap(gvc_, other.gvc_);
  return *this;
}

GraphvizGraph::GraphvizGraph(const std::string& name) {
  route_graphviz_messages();
  set_prototype_defaults();
  g_ = agopen(const_cast<char*>(name.c_str()), Agdirected, &deterministic_disc);
  if (!g_) throw RenderError("cannot create a Graphviz graph");
}
namespace {
// DOT text read from memory a line at a time, as agmemread does, but with the
// creation-order ids above: the parsed graph's subgraphs come in the order
// they are written, not in the order of their names' addresses.
struct MemoryReader {
  const char* data;
  std::size_t size;
  std::size_t at = 0;
};
int read_line(void* chan, char* buf, int bufsize) {
  auto* r = static_cast<MemoryReader*>(chan);
  int n = 0;
  while (n < bufsize && r->at < r->size) {
    char c = r->data[r->at++];
    buf[n++] = c;
    if (c == '\n') break;
  }
  return n;
}
// Written as AgIoDisc writes (GraphvizGraph::dot hands agwrite a FILE*),
// so a parsed graph can be written again.
int put_string(void* chan, const char* text) { return std::fputs(text, static_cast<FILE*>(chan)); }
int flush_stream(void* chan) { return std::fflush(static_cast<FILE*>(chan)); }
Agiodisc_t memory_io = {read_line, put_string, flush_stream};
Agdisc_t deterministic_read_disc = {&AgMemDisc, &creation_order_ids, &memory_io};
}  // namespace

GraphvizGraph GraphvizGraph::parse(const std::string& dot) {
  route_graphviz_messages();
  set_prototype_defaults();
  GraphvizGraph graph;
  MemoryReader reader{dot.c_str(), std::strlen(dot.c_str())};  // up to a NUL, as agmemread
  graph.g_ = agread(&reader, &deterministic_read_disc);
  if (!graph.g_) {
    auto messages = take_graphviz_messages();
    throw RenderError("Graphviz cannot parse the DOT text" +
                      (messages.empty() ? "" : ": " + messages.front()));
  }
  return graph;
}
GraphvizGraph::~GraphvizGraph() {
  if (g_) agclose(g_);
}
GraphvizGraph::GraphvizGraph(GraphvizGraph&& other) noexcept : g_(std::exchange(other.g_, nullptr)) {}
GraphvizGraph& GraphvizGraph::operator=(GraphvizGraph&& other) noexcept {
  std::swap(g_, other.g_);
  return *this;
}

std::string GraphvizGraph::dot() const {
  char* buffer = nullptr;
  std::size_t size = 0;
  FILE* stream = open_memstream(&buffer, &size);
  if (!stream) throw RenderError("out of memory writing DOT");
  int status = agwrite(g_, stream);
  int closed = std::fclose(stream);
  std::string text = buffer ? std::string(buffer, size) : std::string();
  std::free(buffer);
  if (status != 0 || closed != 0) throw RenderError("Graphviz could not write the DOT text");
  return text;
}

namespace {

// Points along an edge's drawn spline(s), each cubic Bézier sampled.
std::vector<pointf> spline_points(Agedge_t* e) {
  std::vector<pointf> out;
  const splines* spl = ED_spl(e);
  if (!spl) return out;
  for (int i = 0; i < spl->size; ++i) {
    const bezier& bz = spl->list[i];
    if (bz.size > 0) out.push_back(bz.list[0]);
    for (int k = 0; k + 3 < bz.size; k += 3)
      for (int step = 1; step <= 16; ++step) {
        const double t = step / 16.0, a = (1 - t) * (1 - t) * (1 - t), b = 3 * t * (1 - t) * (1 - t),
                     c = 3 * t * t * (1 - t), d = t * t * t;
        const pointf* p = bz.list + k;
        out.push_back({a * p[0].x + b * p[1].x + c * p[2].x + d * p[3].x,
                       a * p[0].y + b * p[1].y + c * p[2].y + d * p[3].y});
      }
  }
  return out;
}

double distance_to(pointf q, const std::vector<pointf>& line) {
  double best = 1e300;
  for (std::size_t k = 0; k + 1 < line.size(); ++k) {
    const double dx = line[k + 1].x - line[k].x, dy = line[k + 1].y - line[k].y, len = dx * dx + dy * dy;
    const double t =
        len == 0 ? 0 : std::clamp(((q.x - line[k].x) * dx + (q.y - line[k].y) * dy) / len, 0.0, 1.0);
    best = std::min(best, std::hypot(q.x - line[k].x - t * dx, q.y - line[k].y - t * dy));
  }
  if (line.size() == 1) best = std::hypot(q.x - line[0].x, q.y - line[0].y);
  return best;
}

// The distance to the nearest of several lines.
double distance_to_any(pointf q, const std::vector<std::vector<pointf>>& lines) {
  double best = 1e300;
  for (const auto& line : lines) best = std::min(best, distance_to(q, line));
  return best;
}

// How much nearer a point is to an edge's own line than to the nearest of
// the opposite edges' lines.
double lead(pointf p, const std::vector<pointf>& own, const std::vector<std::vector<pointf>>& opposite) {
  return distance_to_any(p, opposite) - distance_to(p, own);
}

// The middle of a segment of an edge's line, and the line's unit normal there.
struct SegmentMiddle {
  pointf at;
  double nx, ny;
};

// The middles of the segments of `line` that lie between the fractions
// `from` and `to` of its length, in order along it.
std::vector<SegmentMiddle> segment_middles(const std::vector<pointf>& line, double from, double to) {
  double length = 0;
  for (std::size_t k = 0; k + 1 < line.size(); ++k)
    length += std::hypot(line[k + 1].x - line[k].x, line[k + 1].y - line[k].y);
  std::vector<SegmentMiddle> out;
  double walked = 0;
  for (std::size_t k = 0; k + 1 < line.size(); ++k) {
    const double dx = line[k + 1].x - line[k].x, dy = line[k + 1].y - line[k].y;
    const double step = std::hypot(dx, dy);
    const double at = walked + step / 2;
    walked += step;
    if (step == 0 || at < from * length || at > to * length) continue;
    out.push_back(
        {{(line[k].x + line[k + 1].x) / 2, (line[k].y + line[k + 1].y) / 2}, -dy / step, dx / step});
  }
  return out;
}

// The centre of a label of `width` × `height` beside an edge at `m`, clear
// of it by the label's half extent across the edge and `gap` points, on the
// side farther from the opposite edges (the larger lead).
pointf beside(const SegmentMiddle& m, double width, double height, double gap, const std::vector<pointf>& own,
              const std::vector<std::vector<pointf>>& opposite) {
  const double offset = std::abs(m.nx) * width / 2 + std::abs(m.ny) * height / 2 + gap;
  const pointf left{m.at.x + m.nx * offset, m.at.y + m.ny * offset};
  const pointf right{m.at.x - m.nx * offset, m.at.y - m.ny * offset};
  return lead(left, own, opposite) >= lead(right, own, opposite) ? left : right;
}

// Whether `o` goes the other way between the nodes of `e`.
bool opposite_of(Agedge_t* o, Agedge_t* e) {
  return o != e && agtail(o) == aghead(e) && aghead(o) == agtail(e);
}

// The lines of the edges the other way between an edge's nodes.
std::vector<std::vector<pointf>> opposite_lines(Agraph_t* g, Agedge_t* e) {
  std::vector<std::vector<pointf>> out;
  for (Agedge_t* o = agfstout(g, aghead(e)); o; o = agnxtout(g, o))
    if (opposite_of(o, e)) out.push_back(spline_points(o));
  return out;
}

// A label's box: centre and size, in points.
struct LabelBox {
  pointf centre;
  double width, height;
};

bool overlaps(const LabelBox& a, const LabelBox& b) {
  return std::abs(a.centre.x - b.centre.x) * 2 < a.width + b.width &&
         std::abs(a.centre.y - b.centre.y) * 2 < a.height + b.height;
}

// Whether a polyline passes through a box: each segment walked in steps of
// at most a point.
bool crosses(const LabelBox& box, const std::vector<pointf>& line) {
  for (std::size_t k = 0; k + 1 < line.size(); ++k) {
    const double dx = line[k + 1].x - line[k].x, dy = line[k + 1].y - line[k].y;
    const int steps = 1 + static_cast<int>(std::hypot(dx, dy));
    for (int i = 0; i <= steps; ++i)
      if (overlaps(box, {{line[k].x + dx * i / steps, line[k].y + dy * i / steps}, 0, 0})) return true;
  }
  return line.size() == 1 && overlaps(box, {line[0], 0, 0});
}

}  // namespace

// The diagrams give each of two opposite flows its label at its tail,
// turned off the edge by `labelangle` (render/diagram.cc,
// place_opposite_labels). Which side is away from the other edge depends on
// how dot drew the pair, and near the tail the two edges meet, so after the
// layout the label is set beside the middle half of its own edge where the
// two are furthest apart, on the side farther from the opposite edge
// (docs/rendering.md#views).
void place_opposite_tail_labels(Agraph_t* g,
                                const std::function<std::pair<double, double>(Agedge_t*)>& least_size) {
  for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n))
    for (Agedge_t* e = agfstout(g, n); e; e = agnxtout(g, e)) {
      textlabel_t* label = ED_tail_label(e);
      const splines* spl = ED_spl(e);
      if (!label || !label->set || !spl || spl->size == 0 || spl->list[0].size < 2) continue;
      // Each opposite edge's line on its own (joined, the end of one and the
      // start of the next would make a segment no edge draws).
      const std::vector<std::vector<pointf>> opposite = opposite_lines(g, e);
      if (opposite.empty()) continue;
      const std::vector<pointf> own = spline_points(e);
      // Beside the middle half of its own edge, by length, where the two
      // edges are furthest apart, and the edge's direction there: at the
      // middle itself two long edges may run a point or two apart (a pair
      // in the reference model's flows view in English, once node labels
      // had their leading), where either side is as near the one edge as
      // the other.
      const SegmentMiddle* widest = nullptr;
      double widest_apart = -1;
      const std::vector<SegmentMiddle> middles = segment_middles(own, 0.25, 0.75);
      for (const SegmentMiddle& m : middles) {
        const double apart = distance_to_any(m.at, opposite);
        if (apart > widest_apart + 0.5) {  // a clear lead: the first of equal ones, nearest the start
          widest_apart = apart;
          widest = &m;
        }
      }
      if (!widest) continue;
      double width = label->dimen.x, height = label->dimen.y;
      if (least_size) {
        const auto [least_width, least_height] = least_size(e);
        width = std::max(width, least_width);
        height = std::max(height, least_height);
      }
      // Beside the edge, clear of it by 4 points, on the side farther from
      // the opposite edge.
      const pointf mirrored = beside(*widest, width, height, 4, own, opposite);
      // Kept inside the drawing: its size was fitted to --canvas.
      const boxf& bb = GD_bb(g);
      const double hw = width / 2, hh = height / 2;
      label->pos = {std::max(bb.LL.x + hw, std::min(bb.UR.x - hw, mirrored.x)),
                    std::max(bb.LL.y + hh, std::min(bb.UR.y - hh, mirrored.y))};
    }
}

// dot sets every edge label on the same side of its edge, so of two edges
// the opposite ways between the same nodes one label may end nearer the
// other edge, where it reads as the other's: the sectors view drawn top to
// bottom did, its two long bundles between social security and identity
// curving close, one label in the lens between them. Such a label is set
// beside its own edge, on the side away from the others, clearly nearer its
// own edge (kClearLead), inside the drawing, on no node or other label and
// crossed by neither edge of the pair; of such places the one crossed by
// the fewest other edges, then the nearest to where dot put it. Where there
// is none, it stays (docs/rendering.md#views).
void move_labels_nearer_opposite(Agraph_t* g) {
  // By how much a moved label's middle is to be nearer its own edge than
  // the nearest opposite one, in points.
  constexpr double kClearLead = kLabelFarSide / 2.0;
  // Every edge's line, and what a moved label must not cover (the nodes and
  // every other label): gathered when the first label is to move, which in
  // most drawings none is.
  struct Drawn {
    Agedge_t* edge;
    std::vector<pointf> line;
  };
  std::vector<Drawn> edges;
  std::vector<std::pair<const void*, LabelBox>> taken;
  auto gather = [&] {
    if (!taken.empty()) return;
    for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n)) {
      taken.push_back({n, {ND_coord(n), ND_width(n) * 72, ND_height(n) * 72}});
      for (Agedge_t* e = agfstout(g, n); e; e = agnxtout(g, e)) {
        for (textlabel_t* l : {ED_label(e), ED_tail_label(e), ED_head_label(e), ED_xlabel(e)})
          if (l && l->set) taken.push_back({l, {l->pos, l->dimen.x, l->dimen.y}});
        edges.push_back({e, spline_points(e)});
      }
    }
  };
  for (Agnode_t* n = agfstnode(g); n; n = agnxtnode(g, n))
    for (Agedge_t* e = agfstout(g, n); e; e = agnxtout(g, e)) {
      textlabel_t* label = ED_label(e);
      if (!label || !label->set) continue;
      const std::vector<std::vector<pointf>> opposite = opposite_lines(g, e);
      if (opposite.empty()) continue;
      const std::vector<pointf> own = spline_points(e);
      if (own.size() < 2) continue;
      // Labels of opposite edges have room on their far side (kLabelFarSide),
      // so their text lies a little off the middle of their box: a label is
      // moved unless its box's middle is clearly nearer its own edge.
      const pointf c = label->pos;
      if (lead(c, own, opposite) >= kClearLead) continue;
      gather();
      const double width = label->dimen.x, height = label->dimen.y;
      // How many edges but its own cross it where it is.
      int crossed_here = 0;
      for (const Drawn& other : edges)
        if (other.edge != e && crosses({c, width, height}, other.line)) ++crossed_here;
      // The places: beside each point of its own edge but its first and last
      // eighth (by length; the nodes and the arrowhead), clear of the edge by
      // 4 points first, then further out, past a line that runs close beside
      // it, on the side away from the opposite edges.
      struct Place {
        int crossed;      // other edges crossing it
        double from_dot;  // its distance from where dot put the label
        pointf centre;
      };
      std::optional<Place> best;
      const boxf& bb = GD_bb(g);
      for (const SegmentMiddle& m : segment_middles(own, 0.125, 0.875))
        for (const double gap : {4.0, 12.0, 24.0, 36.0}) {
          const LabelBox moved{beside(m, width, height, gap, own, opposite), width, height};
          if (lead(moved.centre, own, opposite) < kClearLead || moved.centre.x - width / 2 < bb.LL.x ||
              moved.centre.x + width / 2 > bb.UR.x || moved.centre.y - height / 2 < bb.LL.y ||
              moved.centre.y + height / 2 > bb.UR.y)
            continue;
          bool clear = true;
          for (const auto& [what, box] : taken)
            if (what != label && overlaps(moved, box)) clear = false;
          int crossed = 0;
          for (const Drawn& other : edges) {
            if (!clear || !crosses(moved, other.line)) continue;
            if (other.edge == e || opposite_of(other.edge, e)) clear = false;  // an edge of the pair
            ++crossed;
          }
          if (!clear) continue;
          const Place place{crossed, std::hypot(moved.centre.x - c.x, moved.centre.y - c.y), moved.centre};
          if (!best || std::tie(place.crossed, place.from_dot) < std::tie(best->crossed, best->from_dot))
            best = place;
        }
      // A label nearer the other edge reads as the other's, which is worse
      // than a line through it; one only not clearly nearer its own is moved
      // only where no more lines cross it.
      if (!best || (lead(c, own, opposite) >= 0 && best->crossed > crossed_here)) continue;
      label->pos = best->centre;
      for (auto& [what, box] : taken)
        if (what == label) box.centre = label->pos;
    }
}

GraphvizLayout::GraphvizLayout(const GraphvizContext& context, const GraphvizGraph& graph,
                               const std::string& engine)
    : gvc_(context.get()), g_(graph.get()) {
  if (gvLayout(gvc_, g_, engine.c_str()) != 0) {
    auto messages = take_graphviz_messages();
    gvc_ = nullptr;
    throw RenderError("Graphviz layout '" + engine + "' failed" +
                      (messages.empty() ? "" : ": " + messages.back()));
  }
  // A time-lapse frame (nop2: positions given) keeps the labels where the
  // layout of all its frames put them, so every frame draws the same.
  const char* layout = agget(g_, const_cast<char*>("layout"));
  if (std::string(layout ? layout : engine.c_str()).rfind("nop", 0) != 0) {
    place_opposite_tail_labels(g_);
    move_labels_nearer_opposite(g_);
  }
}
GraphvizLayout::~GraphvizLayout() {
  if (gvc_) gvFreeLayout(gvc_, g_);
}
GraphvizLayout::GraphvizLayout(GraphvizLayout&& other) noexcept
    : gvc_(std::exchange(other.gvc_, nullptr)), g_(std::exchange(other.g_, nullptr)) {}
GraphvizLayout& GraphvizLayout::operator=(GraphvizLayout&& other) noexcept {
  std::swap(gvc_, other.gvc_);
  std::swap(g_, other.g_);
  return *this;
}

std::string GraphvizLayout::render(const std::string& format) const {
  char* data = nullptr;
  unsigned int length = 0;
  if (gvRenderData(gvc_, g_, format.c_str(), &data, &length) != 0) {
    if (data) gvFreeRenderData(data);
    auto messages = take_graphviz_messages();
    throw RenderError("Graphviz cannot render " + format + (messages.empty() ? "" : ": " + messages.back()));
  }
  std::string bytes(data ? data : "", length);
  gvFreeRenderData(data);
  return bytes;
}

void GraphvizLayout::render_to_context(const std::string& format, void* context) const {
  if (gvRenderContext(gvc_, g_, format.c_str(), context) != 0) {
    auto messages = take_graphviz_messages();
    throw RenderError("Graphviz cannot render " + format + (messages.empty() ? "" : ": " + messages.back()));
  }
}

}  // namespace imozuru::render
