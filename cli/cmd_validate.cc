// imozuru validate MODEL [--strict] [--lang L]: every problem, or one line
// of counts in the language asked for.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/common.h"
#include "output/messages.h"
#include "text/escape.h"

namespace imozuru::cli {

namespace {

struct ValidateOptions {
  ModelOptions model;
  std::string lang;
};

// "4 systems, 3 identifiers, …": the v1 kinds always, the kinds of contract v2
// (groups, consent acts, persons, assessments) when the model has any.
std::string counts(const Model& m, Lang lang) {
  struct Count {
    std::size_t n;
    Msg many, one;
    bool always;
  };
  const Count all[] = {
      {m.systems.size(), Msg::validate_count_systems, Msg::validate_count_systems_one, true},
      {m.identifiers.size(), Msg::validate_count_identifiers, Msg::validate_count_identifiers_one, true},
      {m.data.size(), Msg::validate_count_data, Msg::validate_count_data_one, true},
      {m.flows.size(), Msg::validate_count_flows, Msg::validate_count_flows_one, true},
      {m.laws.size(), Msg::validate_count_laws, Msg::validate_count_laws_one, true},
      {m.actors.size(), Msg::validate_count_actors, Msg::validate_count_actors_one, true},
      {m.sources.size(), Msg::validate_count_sources, Msg::validate_count_sources_one, true},
      {m.groups.size(), Msg::validate_count_groups, Msg::validate_count_groups_one, false},
      {m.consent_acts.size(), Msg::validate_count_consent_acts, Msg::validate_count_consent_acts_one, false},
      {m.persons.size(), Msg::validate_count_persons, Msg::validate_count_persons_one, false},
      {m.assessments.size(), Msg::validate_count_assessments, Msg::validate_count_assessments_one, false},
  };
  std::string out;
  for (const Count& c : all) {
    if (!c.always && c.n == 0) continue;
    if (!out.empty()) out += say(lang, Msg::list_separator);
    out += say(lang, c.n == 1 ? c.one : c.many, c.n);
  }
  return out;
}

}  // namespace

void setup_validate(CLI::App& app) {
  auto o = std::make_shared<ValidateOptions>();
  ModelOptions* options = &o->model;
  CLI::App* cmd =
      app.add_subcommand("validate", "Check a model; list every problem (exit 0 valid, 2 invalid)");
  add_model_options(*cmd, *options);
  cmd->add_flag("--strict", options->strict, "Treat warnings as errors");
  add_lang_option(*cmd, o->lang);
  cmd->callback([o] {
    const Model& model = load_for_process_or_exit(o->model, o->lang);
    const std::string name =
        o->model.path == "-" ? std::string("<stdin>") : text::terminal_text(o->model.path);
    const Lang lang = lang_or_default(o->lang, model);
    std::cout << say(lang, Msg::validate_valid, name, counts(model, lang));
  });
}

}  // namespace imozuru::cli
