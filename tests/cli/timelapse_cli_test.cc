// imozuru render --dates / --every / --ghost / --steps (issue 17), run as a
// user would on the reference model: the files it writes, their pages, the
// same bytes on every run, and the usage errors in both languages.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "hostile_support.h"

using namespace imozuru::hostile;

namespace {

const std::string kModel = quote(std::string(IMOZURU_SOURCE_DIR) + "/flows");

std::size_t pdf_pages(const std::string& pdf) {
  static const std::regex page("/Type /Page[^s]");
  return static_cast<std::size_t>(
      std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), page), std::sregex_iterator()));
}

}  // namespace

TEST_CASE("render dates: a 2016/2020/2026 time-lapse of the reference model is a 3-page PDF, byte-stable",
          "[cli][timelapse]") {
  fs::path dir = scratch("timelapse_pdf");
  const std::string args = "render " + kModel + " --dates 2016-01-01,2020-01-01,2026-01-01 --lang en -o ";
  Run a = run(args + quote((dir / "a.pdf").string()));
  REQUIRE(a.status == 0);
  CHECK(a.err == "imozuru: 3 pages, one per frame: " + (dir / "a.pdf").string() + "\n");
  Run b = run(args + quote((dir / "b.pdf").string()));
  REQUIRE(b.status == 0);
  const std::string pdf = slurp(dir / "a.pdf");
  CHECK(pdf_pages(pdf) == 3);
  CHECK(pdf == slurp(dir / "b.pdf"));
  if (std::system("command -v pdfinfo >/dev/null 2>&1") == 0) {
    std::string cmd = "pdfinfo " + quote((dir / "a.pdf").string()) + " > " + quote((dir / "info").string());
    REQUIRE(std::system(cmd.c_str()) == 0);
    CHECK(slurp(dir / "info").find("Pages:           3\n") != std::string::npos);
  }
}

TEST_CASE("render dates: numbered SVG frames, --every year from the first date to the last",
          "[cli][timelapse]") {
  fs::path dir = scratch("timelapse_every");
  Run r = run("render " + kModel + " --view sectors --dates 2016-01-01,2020-01-01 --every year --ghost -o " +
              quote((dir / "talk.svg").string()));
  REQUIRE(r.status == 0);
  CHECK(r.err == "imozuru: 5 枚のフレーム: " + (dir / "talk-01.svg").string() + " … " +
                     (dir / "talk-05.svg").string() + "\n");
  const char* years[] = {"2016", "2017", "2018", "2019", "2020"};
  for (int k = 0; k < 5; ++k) {
    const std::string svg = slurp(dir / ("talk-0" + std::to_string(k + 1) + ".svg"));
    CHECK(svg.find(std::string(">") + years[k] + "&#45;01&#45;01</text>") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(dir / "talk.svg"));
  CHECK_FALSE(fs::exists(dir / "talk-06.svg"));
}

TEST_CASE("render steps: the certificate serial's chain built up hop by hop", "[cli][timelapse]") {
  fs::path dir = scratch("timelapse_steps");
  Run r = run("render " + kModel +
              " --at 2026-01-01 --view chain --from identifier:jpki_serial --to data:vaccination -k 1 --only "
              "--steps --lang en -o " +
              quote((dir / "chain.svg").string()));
  REQUIRE(r.status == 0);
  REQUIRE(fs::exists(dir / "chain-01.svg"));
  std::size_t frames = 0;
  while (fs::exists(dir / ("chain-0" + std::to_string(frames + 1) + ".svg"))) ++frames;
  CHECK(frames >= 3);
  for (std::size_t k = 1; k <= frames; ++k)
    CHECK(slurp(dir / ("chain-0" + std::to_string(k) + ".svg"))
              .find("step " + std::to_string(k) + " of " + std::to_string(frames)) != std::string::npos);
  // The target's data appears with the last hop only.
  CHECK(slurp(dir / "chain-01.svg").find("id=\"data:vaccination\"") == std::string::npos);
  CHECK(slurp(dir / ("chain-0" + std::to_string(frames) + ".svg")).find("Vaccination history") !=
        std::string::npos);
}

TEST_CASE("render dates: options that do not go together are usage errors in both languages",
          "[cli][timelapse]") {
  fs::path dir = scratch("timelapse_usage");
  const std::string out = " -o " + quote((dir / "x.svg").string());
  struct Case {
    std::string args, en, ja;
  };
  const Case cases[] = {
      {"--dates 2020-01-01,2016-01-01", "--dates: 2016-01-01 must come after 2020-01-01",
       "--dates: 2016-01-01 は 2020-01-01 より後の日付でなければなりません"},
      {"--dates 2016-01-01,soon", "--dates: 'soon' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
       "--dates: 'soon' は日付ではありません"},
      {"--dates 2016,2020 --at 2018", "--dates and --at do not go together",
       "--dates と --at は同時に指定できません"},
      {"--dates 2016,2018,2020 --every year", "--every needs exactly two --dates",
       "--every には --dates で最初と最後の 2 つの日付が必要です"},
      {"--every year", "--every needs exactly two --dates", "--every には --dates で"},
      {"--ghost", "--ghost needs --dates or --steps", "--ghost には --dates か --steps が必要です"},
      {"--dates 1900,2026 --every month", "that makes 1513 frames, more than the 100 allowed",
       "フレームが 1513 枚になり、上限の 100 枚を超えます"},
      {"--dates 2016,2020 --view chain --from identifier:my_number",
       "--dates draws the flows, sectors, linkage and person views", "--dates で描けるのは"},
      {"--steps", "--steps needs --view chain with --from REF --to REF (chains)",
       "--steps は --view chain と"},
      {"--steps --dates 2016,2020 --view chain --from identifier:my_number --to data:income",
       "--steps and --dates do not go together", "--steps と --dates は同時に指定できません"},
  };
  for (const Case& c : cases) {
    for (const char* lang : {"en", "ja"}) {
      CAPTURE(c.args, lang);
      Run r = run("render " + kModel + " " + c.args + " --lang " + lang + out);
      CHECK(r.status == 2);
      CHECK(r.err.rfind("imozuru: error: ", 0) == 0);
      CHECK(r.err.find(std::string(lang) == "en" ? c.en : c.ja) != std::string::npos);
    }
  }
  CHECK(fs::is_empty(dir));
}

namespace {

// A sector (health) whose only system starts in 2019.
const std::string kLateSector = R"(model: {name: late sector}
identifiers:
  - {id: mn, name: 個人番号, name_en: Personal number, kind: national}
systems:
  - {id: registry, name: 住民台帳, name_en: Resident registry, sector: identity, holds: {identifiers: [mn]}}
  - {id: clinic, name: 診療所, name_en: Clinic, sector: health, since: 2019, holds: {identifiers: [mn]}}
flows:
  - {id: f1, name: 照会, name_en: Query, from: clinic, to: registry, since: 2019, carries: {identifiers: [mn]}}
)";

}  // namespace

TEST_CASE("render dates: --sector draws a frame where the sector has no system yet", "[cli][timelapse]") {
  fs::path dir = scratch("timelapse_sector");
  spit(dir / "model.yaml", kLateSector);
  const std::string model = quote((dir / "model.yaml").string());
  Run r = run("render " + model + " --dates 2016,2020 --sector health --lang en -o " +
              quote((dir / "h.svg").string()));
  REQUIRE(r.status == 0);
  const std::string before = slurp(dir / "h-01.svg"), after = slurp(dir / "h-02.svg");
  // Hidden (Graphviz draws nothing of it) before 2019, new after.
  CHECK(before.find("system:clinic") == std::string::npos);
  CHECK(before.find(">2016&#45;01&#45;01</text>") != std::string::npos);
  CHECK(after.find("<g id=\"system:clinic\" class=\"node system new\">") != std::string::npos);
  CHECK(after.find(">Clinic</text>") != std::string::npos);
  // No date with the sector at all: nothing to draw, said in both languages.
  for (const char* lang : {"en", "ja"}) {
    Run none = run("render " + model + " --dates 2010,2016 --sector health --lang " + lang + " -o " +
                   quote((dir / "none.svg").string()));
    CHECK(none.status == 1);
    CHECK(none.err.find(std::string(lang) == "en"
                            ? "no system of sector 'health' is active at any of the dates (sectors: identity)"
                            : "分野 'health' のシステムはどの日付にも稼働していません（分野: identity）") !=
          std::string::npos);
    Run one = run("render " + model + " --at 2016 --sector health --lang " + lang + " -o " +
                  quote((dir / "none.svg").string()));
    CHECK(one.status == 1);
    CHECK(one.err.find(std::string(lang) == "en"
                           ? "no system of sector 'health' is active at 2016-01-01 (sectors: identity)"
                           : "分野 'health' のシステムは 2016-01-01 に稼働していません（分野: identity）") !=
          std::string::npos);
  }
  CHECK_FALSE(fs::exists(dir / "none-01.svg"));
  CHECK_FALSE(fs::exists(dir / "none.svg"));
}

TEST_CASE("render dates: a shorter run removes the frames a longer run left behind", "[cli][timelapse]") {
  fs::path dir = scratch("timelapse_stale");
  const std::string out = " -o " + quote((dir / "talk.svg").string());
  REQUIRE(run("render " + kModel + " --view sectors --dates 2016,2020 --every year" + out).status == 0);
  REQUIRE(fs::exists(dir / "talk-05.svg"));
  spit(dir / "talk-notes.svg", "mine");  // not a frame: kept
  spit(dir / "talk-7.svg", "mine");      // not numbered as frames are: kept
  Run r = run("render " + kModel + " --view sectors --dates 2016,2018 --every year --lang en" + out);
  REQUIRE(r.status == 0);
  CHECK(r.err == "imozuru: 3 frames: " + (dir / "talk-01.svg").string() + " ... " +
                     (dir / "talk-03.svg").string() + "\nimozuru: removed 2 frames of an earlier run: " +
                     (dir / "talk-04.svg").string() + " ... " + (dir / "talk-05.svg").string() + "\n");
  CHECK(fs::exists(dir / "talk-03.svg"));
  CHECK_FALSE(fs::exists(dir / "talk-04.svg"));
  CHECK_FALSE(fs::exists(dir / "talk-05.svg"));
  CHECK(slurp(dir / "talk-notes.svg") == "mine");
  CHECK(slurp(dir / "talk-7.svg") == "mine");
}

TEST_CASE("render steps: with --open-only and --person, as many frames as that chain has hops",
          "[cli][timelapse]") {
  fs::path dir = scratch("timelapse_steps_filters");
  const std::string query = "--at 2026-01-01 --from identifier:jpki_serial --to data:vaccination -k 1";
  // The chain each filter leaves, as `chains` finds it: its hop count.
  auto hops = [&](const std::string& filter) {
    Run r = run("chains " + kModel + " " + query + " " + filter + " --format json");
    REQUIRE(r.status == 0);
    static const std::regex hop("\"kind\": ");
    // The first chain's hops: from its "hops" to the "open" after them.
    const std::size_t first_chain = r.out.find("\"hops\"");
    REQUIRE(first_chain != std::string::npos);
    const std::string chain = r.out.substr(first_chain, r.out.find("\"open\"", first_chain) - first_chain);
    return static_cast<std::size_t>(
        std::distance(std::sregex_iterator(chain.begin(), chain.end(), hop), std::sregex_iterator()));
  };
  for (const std::string filter : {"--open-only", "--person p_registered"}) {
    CAPTURE(filter);
    const std::size_t expected = hops(filter);
    CHECK(expected >= 3);
    const fs::path out = dir / (filter.substr(2, 4) + ".svg");
    Run r = run("render " + kModel + " " + query + " --view chain --only --steps " + filter +
                " --lang en -o " + quote(out.string()));
    REQUIRE(r.status == 0);
    std::size_t frames = 0;
    while (fs::exists(dir / (filter.substr(2, 4) + "-0" + std::to_string(frames + 1) + ".svg"))) ++frames;
    CHECK(frames == expected);
    CHECK(r.err.find(std::to_string(expected) + " frames: ") != std::string::npos);
  }
  // A person the chain cannot reach: no chain, no frames, exit 1.
  Run none = run("render " + kModel + " " + query + " --view chain --steps --person p_no_card --lang en -o " +
                 quote((dir / "none.svg").string()));
  CHECK(none.status == 1);
  CHECK(none.err.find("no chain was found, so --steps has no frames to draw") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "none-01.svg"));
}

namespace {

// The smallest text an SVG shows, in points on the page: the smallest
// font-size Graphviz wrote, times the scale of the graph's transform.
double shown_smallest_pt(const std::string& svg) {
  static const std::regex scale(
      R"re(<g id="graph0" class="graph" transform="scale\(([0-9.]+) ([0-9.]+)\))re");
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, scale));
  static const std::regex font(R"re(font-size="([0-9.]+)")re");
  double smallest = 1e9;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), font); it != std::sregex_iterator(); ++it)
    smallest = std::min(smallest, std::stod((*it)[1]));
  return smallest * std::min(std::stod(m[1]), std::stod(m[2]));
}

// The size the --canvas note gives for the smallest text.
double said_smallest_pt(const std::string& err) {
  static const std::regex said(R"re((smallest text is|最小の文字は) ([0-9.]+) pt)re");
  std::smatch s;
  REQUIRE(std::regex_search(err, s, said));
  return std::stod(s[2]);
}

}  // namespace

// A speaker decides from the note whether a slide can be read; it must give
// the text size the page has, after every scaling of the layout and of the
// frames to the canvas (the chain's build-up said 7.7 pt for 5.4 pt text).
TEST_CASE(
    "render canvas: the note's smallest text is the size the slide shows, at least 6 pt on the talk's slides",
    "[cli][timelapse][canvas]") {
  fs::path dir = scratch("canvas_note_size");
  const std::vector<std::pair<std::string, std::string>> slides = {
      {"chain steps",
       "--at 2026-01-01 --view chain --from identifier:jpki_serial --to data:vaccination -k 1 "
       "--only --steps"},
      {"sectors brief", "--at 2026-01-01 --view sectors --brief"},
      {"sectors", "--at 2026-01-01 --view sectors"},
      {"sectors time-lapse", "--view sectors --brief --dates 2016-01-01,2026-01-01"},
  };
  for (std::size_t k = 0; k < slides.size(); ++k) {
    const auto& [name, options] = slides[k];
    for (const std::string lang : {"ja", "en"}) {
      // The full view, there to be warned about, in one language: every render costs (CI's ASan pass).
      if (name == "sectors" && lang == "ja") continue;
      CAPTURE(name, lang);
      const fs::path out = dir / ("slide" + std::to_string(k) + "_" + lang + ".svg");
      Run r = run("render " + kModel + " " + options + " --canvas 16:9 --lang " + lang + " -o " +
                  quote(out.string()));
      REQUIRE(r.status == 0);
      const double said = said_smallest_pt(r.err);
      // Every frame (or the one diagram) shows at least the size said, and one shows it.
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().rfind(out.stem().string(), 0) == 0) files.push_back(e.path());
      REQUIRE_FALSE(files.empty());
      double shown = 1e9;
      for (const fs::path& f : files) shown = std::min(shown, shown_smallest_pt(slurp(f)));
      CHECK(std::abs(said - shown) < 0.15);
      // A PNG (150 dpi; the frames are measured again as SVG, at 72 dpi) or a
      // PDF of the same slide: the same note. In Japanese: the code is the same for both.
      std::vector<std::string> others;
      if (lang == "ja" && name != "sectors") others = {".png"};
      if (lang == "ja" && name == "sectors time-lapse") others.push_back(".pdf");
      for (const std::string& ext : others) {
        CAPTURE(ext);
        Run other = run("render " + kModel + " " + options + " --canvas 16:9 --lang " + lang + " -o " +
                        quote((dir / ("other" + std::to_string(k) + "_" + lang + ext)).string()));
        REQUIRE(other.status == 0);
        CHECK(said_smallest_pt(other.err) == said);
      }
      // The talk's slides (tools/main_job.sh) can be read from a projector;
      // the full sectors view cannot, and says so.
      if (name != "sectors") CHECK(shown >= 6.0);
      // Under 6 pt the note says it is too small for a projector.
      const bool warned =
          r.err.find("too small") != std::string::npos || r.err.find("小さすぎ") != std::string::npos;
      CHECK(warned == (shown < 6.0));
    }
  }
}
