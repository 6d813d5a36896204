// imozuru info MODEL [--at D] [--include-planned] [--format text|json]:
// what is active at a date, counted by kind, by sector and by status.
#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/options.h"
#include "text/escape.h"

namespace imozuru::cli {
namespace {

struct InfoOptions {
  ModelOptions model;
  DateOptions date;
  std::string format = "text";
  std::string person;
};

// std::map keeps keys sorted, so the output is byte-stable.
struct Counts {
  std::map<std::string, std::size_t> by_kind, by_sector, by_status;
};

template <typename T, typename Active>
void count_kind(const std::vector<T>& entities, const std::string& kind, Active active, Counts& counts) {
  std::size_t n = 0;
  for (Index i = 0; i < entities.size(); ++i) {
    if (!active(i)) continue;
    ++n;
    ++counts.by_status[std::string(to_string(entities[i].status))];
  }
  counts.by_kind[kind] = n;
}

Counts count(const ModelAt& at) {
  const Model& m = at.model();
  Counts c;
  // Sources and actors have no activity in ModelAt; their own dates decide.
  count_kind(
      m.sources, "sources", [&](Index i) { return is_active(m.sources[i], at.at(), at.include_planned()); },
      c);
  count_kind(
      m.actors, "actors", [&](Index i) { return is_active(m.actors[i], at.at(), at.include_planned()); }, c);
  count_kind(
      m.laws, "laws", [&](Index i) { return at.law_active(i); }, c);
  count_kind(
      m.identifiers, "identifiers", [&](Index i) { return at.identifier_active(i); }, c);
  count_kind(
      m.data, "data", [&](Index i) { return at.data_active(i); }, c);
  count_kind(
      m.systems, "systems", [&](Index i) { return at.system_active(i); }, c);
  count_kind(
      m.flows, "flows", [&](Index i) { return at.flow_active(i); }, c);
  for (Index s : at.systems()) ++c.by_sector[m.systems[s].sector];
  return c;
}

std::string as_json(const Model& model, const ModelAt& at, const Counts& c) {
  nlohmann::json j;  // object keys are sorted by nlohmann::json itself
  j["model"] = model.model_name();
  j["at"] = at.at().iso();
  j["include_planned"] = at.include_planned();
  if (at.person() != kNone) j["person"] = model.persons[at.person()].id;
  j["active"] = c.by_kind;
  j["systems_by_sector"] = c.by_sector;
  j["by_status"] = c.by_status;
  return j.dump(2) + "\n";
}

// Names from the model are escaped for the terminal (text::terminal_text).
std::string as_text(const Model& model, const ModelAt& at, const Counts& c) {
  std::ostringstream out;
  out << text::terminal_text(model.model_name()) << " at " << at.at().iso()
      << (at.include_planned() ? " (planned included)" : "");
  if (at.person() != kNone)
    out << ", for " << text::terminal_text(model.persons[at.person()].display_name(Lang::en)) << " ("
        << model.persons[at.person()].id << ")";
  out << "\n";
  out << "active:\n";
  // In the data path's order rather than alphabetically.
  for (const char* kind : {"systems", "identifiers", "data", "flows", "laws", "actors", "sources"})
    out << "  " << kind << ": " << c.by_kind.at(kind) << "\n";
  out << "systems by sector:\n";
  for (const auto& [sector, n] : c.by_sector) out << "  " << text::terminal_text(sector) << ": " << n << "\n";
  out << "by status:\n";
  for (const auto& [status, n] : c.by_status) out << "  " << status << ": " << n << "\n";
  return out.str();
}

}  // namespace

void setup_info(CLI::App& app) {
  auto options = std::make_shared<InfoOptions>();
  CLI::App* cmd =
      app.add_subcommand("info", "Count the entities active at a date, by kind, sector and status");
  add_model_options(*cmd, options->model);
  add_date_options(*cmd, options->date);
  add_person_option(*cmd, options->person);
  cmd->add_option("--format", options->format, "Output format: text or json")
      ->check(one_of({"text", "json"}))
      ->capture_default_str();
  cmd->callback([options] {
    Date at_date = as_of_date(options->date);
    Model model = load_or_exit(options->model);
    ModelAt at(model, at_date, options->date.include_planned,
               person_or_exit(model, options->person, at_date, options->date.include_planned));
    Counts counts = count(at);
    write_output("", options->format == "json" ? as_json(model, at, counts) : as_text(model, at, counts));
  });
}

}  // namespace imozuru::cli
