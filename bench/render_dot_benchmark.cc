// The renderer alone, for bench/render_bench.py to time against `dot -Tsvg`:
// `render_dot_benchmark DOT OUT` does what `imozuru render MODEL -o OUT` does
// once it has the diagram's DOT text, and nothing else. It starts the layout
// process first (as imozuru does before loading the model), reads the DOT
// file, lays it out and renders it in that process (LayoutProcess::render,
// as imozuru does) and writes OUT atomically. OUT's extension picks the
// format, as in imozuru.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "model/output_file.h"
#include "render/layout_process.h"
#include "render/render.h"

int main(int argc, char** argv) {
  using namespace imozuru;
  if (argc != 3) {
    std::cerr << "usage: render_dot_benchmark DOT OUT.(svg|png|pdf)\n";
    return 2;
  }
  auto format = render::format_from_path(argv[2]);
  if (!format) {
    std::cerr << "render_dot_benchmark: " << argv[2] << ": the extension must be .svg, .png, .pdf or .dot\n";
    return 2;
  }
  render::LayoutProcess layout(*format);
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "render_dot_benchmark: cannot read " << argv[1] << "\n";
    return 1;
  }
  std::ostringstream dot;
  dot << in.rdbuf();
  render::RenderOptions options;
  options.format = *format;
  try {
    write_file_atomically(argv[2], layout.render(dot.str(), options));
  } catch (const std::exception& e) {
    std::cerr << "render_dot_benchmark: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
