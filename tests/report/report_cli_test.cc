// `imozuru report` and `imozuru html` as a user runs them: files written,
// exit codes and messages.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;

namespace {

struct Run {
  int status = -1;
  std::string err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("imozuru_report_cli_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

Run run(const std::string& args, const fs::path& dir) {
  fs::path err = dir / "stderr";
  std::string cmd = std::string("'") + IMOZURU_BINARY + "' " + args + " >/dev/null 2>'" + err.string() + "'";
  int raw = std::system(cmd.c_str());
  return Run{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(err)};
}

const std::string kSmall = IMOZURU_SOURCE_DIR "/tests/report/fixtures/small.yaml";

}  // namespace

TEST_CASE("report -o brief.md writes the report and brief-files/*.svg", "[report][cli]") {
  fs::path dir = scratch("md");
  Run r = run(
      "report '" + kSmall + "' --at 2024-01-01 --compare 2019 -o '" + (dir / "brief.md").string() + "'", dir);
  REQUIRE(r.status == 0);
  std::string md = slurp(dir / "brief.md");
  CHECK(md.find("](brief-files/linkage.svg)") != std::string::npos);
  CHECK(md.find("## 2019-01-01 からの変化") != std::string::npos);
  CHECK(slurp(dir / "brief-files" / "linkage.svg").find("<svg") != std::string::npos);
  CHECK(slurp(dir / "brief-files" / "sectors.svg").find("<svg") != std::string::npos);
  // Same input, same bytes.
  REQUIRE(
      run("report '" + kSmall + "' --at 2024-01-01 --compare 2019 -o '" + (dir / "again.md").string() + "'",
          dir)
          .status == 0);
  std::string again = slurp(dir / "again.md");
  // Only the files directory's name differs.
  auto pos = again.find("again-files/");
  while (pos != std::string::npos) {
    again.replace(pos, 12, "brief-files/");
    pos = again.find("again-files/", pos);
  }
  CHECK(again == md);
  CHECK(slurp(dir / "again-files" / "linkage.svg") == slurp(dir / "brief-files" / "linkage.svg"));
}

TEST_CASE("report and html refuse what they cannot write", "[report][cli]") {
  fs::path dir = scratch("bad");
  Run wrong_ext = run("report '" + kSmall + "' -o '" + (dir / "brief.txt").string() + "'", dir);
  CHECK(wrong_ext.status == 2);  // a usage error
  CHECK(wrong_ext.err.find("the extension must be .md (Markdown) or .html") != std::string::npos);
  Run no_dir = run("report '" + kSmall + "' -o '" + (dir / "missing" / "brief.html").string() + "'", dir);
  CHECK(no_dir.status == 1);
  CHECK(no_dir.err.find("imozuru: error:") != std::string::npos);
  Run bad_date = run("report '" + kSmall + "' --compare 2019-13 -o '" + (dir / "b.html").string() + "'", dir);
  CHECK(bad_date.status != 0);
  CHECK(bad_date.err.find("--compare") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "b.html"));
  Run page_ext = run("html '" + kSmall + "' -o '" + (dir / "page.svg").string() + "'", dir);
  CHECK(page_ext.status == 2);
  CHECK(page_ext.err.find("the extension must be .html") != std::string::npos);
}

TEST_CASE("report and html exit 2 for an invalid model", "[report][cli]") {
  fs::path dir = scratch("invalid");
  std::ofstream(dir / "bad.yaml")
      << "systems:\n  - {id: a, name: A, sector: x, holds: {identifiers: [nope]}}\n";
  CHECK(run("report '" + (dir / "bad.yaml").string() + "' -o '" + (dir / "r.html").string() + "'", dir)
            .status == 2);
  CHECK(
      run("html '" + (dir / "bad.yaml").string() + "' -o '" + (dir / "p.html").string() + "'", dir).status ==
      2);
  CHECK_FALSE(fs::exists(dir / "r.html"));
  CHECK_FALSE(fs::exists(dir / "p.html"));
}

TEST_CASE("html writes one page with the diagram and the data", "[report][cli]") {
  fs::path dir = scratch("html");
  REQUIRE(
      run("html '" + kSmall + "' --at 2024-01-01 --lang en -o '" + (dir / "talk.html").string() + "'", dir)
          .status == 0);
  std::string page = slurp(dir / "talk.html");
  CHECK(page.find("<html lang=\"en\">") != std::string::npos);
  CHECK(page.find("id=\"system:health_app\"") != std::string::npos);
  CHECK(page.find("\"name_en\":\"Health app\"") != std::string::npos);
}

TEST_CASE("html --person writes the page for that person and refuses an unknown or inactive one",
          "[report][cli][person]") {
  const std::string people = IMOZURU_SOURCE_DIR "/tests/report/fixtures/people.yaml";
  fs::path dir = scratch("html_person");
  REQUIRE(
      run("html '" + people + "' --at 2025-06-01 --person hanako -o '" + (dir / "hanako.html").string() + "'",
          dir)
          .status == 0);
  std::string page = slurp(dir / "hanako.html");
  CHECK(page.find("<h1>人物と突合の例（花子（hanako））</h1>") != std::string::npos);
  CHECK(page.find("\"person\":{\"id\":\"hanako\"") != std::string::npos);

  Run unknown = run("html '" + people + "' --person hanak -o '" + (dir / "x.html").string() + "'", dir);
  CHECK(unknown.status == 2);
  CHECK(unknown.err.find("--person: no person 'hanak' in the model (did you mean 'hanako'?)") !=
        std::string::npos);
  Run inactive =
      run("html '" + people + "' --at 2024-01-01 --person baby -o '" + (dir / "x.html").string() + "'", dir);
  CHECK(inactive.status == 2);
  CHECK(inactive.err.find("--person: person 'baby' is not active at 2024-01-01 (since 2025-05-01)") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(dir / "x.html"));
}

TEST_CASE("html --dates writes a time-lapse page and refuses what render --dates refuses", "[report][cli]") {
  const std::string people = IMOZURU_SOURCE_DIR "/tests/report/fixtures/people.yaml";
  fs::path dir = scratch("html_dates");
  const std::string out = " -o '" + (dir / "t.html").string() + "'";
  REQUIRE(
      run("html '" + people + "' --dates 2016-01-01,2026-01-01 --every year --lang en" + out, dir).status ==
      0);
  std::string page = slurp(dir / "t.html");
  // 2016 to 2026 every year: eleven frames, the slider over them.
  std::size_t frames = 0;
  for (std::size_t at = 0; (at = page.find("<template class=\"frame\" data-date=", at)) != std::string::npos;
       ++at)
    ++frames;
  CHECK(frames == 11);
  CHECK(page.find("<template class=\"frame\" data-date=\"2021-01-01\">") != std::string::npos);
  CHECK(page.find("max=\"10\"") != std::string::npos);
  CHECK(page.find("\"dates\":[\"2016-01-01\",\"2017-01-01\"") != std::string::npos);
  // --person: each frame is the model for the person, who must be in it.
  REQUIRE(run("html '" + people + "' --dates 2025-06-01,2026-01-01 --person baby" + out, dir).status == 0);
  fs::remove(dir / "t.html");
  Run baby = run("html '" + people + "' --dates 2024-01-01,2026-01-01 --person baby" + out, dir);
  CHECK(baby.status == 2);
  CHECK(baby.err.find("--person: person 'baby' is not active at 2024-01-01") != std::string::npos);

  Run ghost = run("html '" + people + "' --ghost --lang en" + out, dir);
  CHECK(ghost.status == 2);
  CHECK(ghost.err.find("--ghost needs --dates") != std::string::npos);
  Run at = run("html '" + people + "' --dates 2020 --at 2021 --lang en" + out, dir);
  CHECK(at.status == 2);
  CHECK(at.err.find("--dates and --at do not go together") != std::string::npos);
  Run order = run("html '" + people + "' --dates 2021,2020 --lang en" + out, dir);
  CHECK(order.status == 2);
  CHECK(order.err.find("--dates: 2020 must come after 2021") != std::string::npos);
  Run every = run("html '" + people + "' --dates 2020 --every month --lang en" + out, dir);
  CHECK(every.status == 2);
  CHECK(every.err.find("--every needs exactly two --dates") != std::string::npos);
  Run ja = run("html '" + people + "' --ghost" + out, dir);
  CHECK(ja.err.find("--ghost には --dates が必要です") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "t.html"));
}
