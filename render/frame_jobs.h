// The time-lapse's Graphviz work (render/timelapse.h): how the objects of a
// diagram are matched across its frames, and the two jobs the layout
// process does for it (LayoutProcess::run). Internal to render/.
#pragma once

#include <string>
#include <vector>

struct Agraph_s;
struct Agnode_s;
struct Agedge_s;

namespace imozuru::render {

class GraphvizContext;

// What an object is across frames: a node or edge its `id` (the frames are
// drawn with RenderOptions::entity_ids), else a node its name and an edge
// "~TAIL>HEAD" (the invisible edges that set out unconnected systems); a
// cluster its label (the sector's name).
std::string frame_key(Agnode_s* node);
std::string frame_key(Agedge_s* edge);
std::string frame_key(Agraph_s* cluster);

// In the layout process. dots[0] (the union of the frames) laid out with
// `engine` (or its own `layout`), each node first made at least as large as
// Graphviz makes it in any frame dots[1...], so that a frame's label always
// fits the box laid out for it: the laid-out graph as DOT (`-Tdot`).
std::string lay_out_union(const GraphvizContext& context, const std::vector<std::string>& dots,
                          const std::string& engine);

// In the layout process. Each frame, laid out by its own `layout` (nop2:
// the positions it carries), drawn as one page of a PDF through cairo, each
// page the size Graphviz gives that frame as a PDF of its own.
std::string render_pdf_pages(const GraphvizContext& context, const std::vector<std::string>& dots);

// In the layout process. Each frame laid out by its own `layout` (nop2) and
// rendered in the Graphviz `format`: the outputs, each after its length as
// a 64-bit number (LayoutProcess::split_frames).
std::string render_frames(const GraphvizContext& context, const std::vector<std::string>& dots,
                          const std::string& format);

}  // namespace imozuru::render
