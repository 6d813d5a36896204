// Time-lapse: one diagram drawn as several frames with one layout
// (docs/rendering.md#time-lapse): the model at several dates, or a chain
// lit hop by hop. The layout is made once, over the union of what the
// frames draw, and every frame is drawn at exactly those positions
// (Graphviz's nop2: the positions are given), so a node never moves between
// frames and its coordinates are the same bytes in every frame and every
// run. In a frame, what it does not draw is hidden (or, with `ghost`, drawn
// faint), what is new since the previous frame of a time-lapse is
// highlighted, and the date (or step) is written large above the title.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "model/as_of.h"
#include "render/render.h"

namespace imozuru::render {

// The most frames one time-lapse draws.
inline constexpr std::size_t kMaxFrames = 100;

struct TimelapseOptions {
  bool ghost = false;  // draw what a frame does not draw faint instead of hiding it
};

// The frames of `frames` (the model at each date, earliest first) in
// options.format: one SVG, PNG or DOT (positioned: `neato -n2` draws it)
// per date, or for PDF a single PDF with one page per date. options.view is
// flows, sectors, linkage or person; entity_ids is always on, and each
// element's class also says "new" (since the previous frame), "ghost" or
// "hidden". Deterministic. Graphviz's warnings are appended to `messages`
// when given. Throws RenderError.
std::vector<std::string> render_timelapse(const std::vector<ModelAt>& frames, const RenderOptions& options,
                                          const TimelapseOptions& timelapse,
                                          std::vector<std::string>* messages = nullptr);

// The chain view of options.highlight built up hop by hop: frame k lights
// the first k hops of every chain (as many frames as the longest chain has
// hops), all at the layout of the whole result. With highlight->only, what
// is not lit yet is hidden (or faint with `ghost`). Output as
// render_timelapse; throws RenderError when the highlight has no chain.
std::vector<std::string> render_chain_steps(const ModelAt& at, const RenderOptions& options,
                                            const TimelapseOptions& timelapse,
                                            std::vector<std::string>* messages = nullptr);

// Where the frames go for `-o path`: a PDF is the path itself; otherwise one
// file per frame, numbered from 1 before the extension with at least two
// digits (talk.svg: talk-01.svg, talk-02.svg, ...).
std::vector<std::filesystem::path> timelapse_paths(const std::filesystem::path& path, Format format,
                                                   std::size_t frames);

// Frames an earlier time-lapse left at `path` that a run of `frames`
// frames does not overwrite: the files numbered as timelapse_paths numbers
// them (two or three digits, 1 to kMaxFrames) that exist and are not among
// this run's, in order. Nothing for a PDF.
std::vector<std::filesystem::path> earlier_frame_paths(const std::filesystem::path& path, Format format,
                                                       std::size_t frames);

// What write_frames did: the files written (timelapse_paths), the frames of
// an earlier run it removed, and those it could not remove, with why.
struct FramesWritten {
  std::vector<std::filesystem::path> written, removed;
  std::vector<std::pair<std::filesystem::path, std::string>> not_removed;
};

// The frames (render_timelapse's or render_chain_steps's) written to
// timelapse_paths(path, ...), each atomically; then earlier_frame_paths
// removed, so that a shorter run over a longer one's frames leaves no deck
// ending in the other run's slides. Throws std::runtime_error when a frame
// cannot be written.
FramesWritten write_frames(const std::filesystem::path& path, Format format,
                           const std::vector<std::string>& frames);

// The dates from `first` to `last`, `months` apart (12: every year), counted
// from `first` (a day the month lacks becomes its last day), and `last`
// itself when the steps do not land on it.
std::vector<Date> dates_every(const Date& first, const Date& last, int months);

}  // namespace imozuru::render
