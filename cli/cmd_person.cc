// imozuru person MODEL --person P [--at D]: the systems that hold P's records,
// what each holds and the flows that move them (docs/model-format.md, "The
// model for a person"); with --compare, --compare-at or --withdraw, what one
// exposure has that the other lacks.
#include <CLI/CLI.hpp>
#include <algorithm>

#include "cli/analysis_command.h"
#include "cli/commands.h"
#include "model/diagnostics.h"
#include "model/person.h"
#include "output/person_output.h"

namespace imozuru::cli {
namespace {

struct PersonOptions {
  ModelOptions model;
  DateOptions date;
  OutputOptions output;
  std::string person;
  std::string compare;     // another person
  std::string compare_at;  // another date
  std::vector<std::string> withdraw;
};

Index act_or_exit(const Model& model, const std::string& id) {
  Index a = model.find_consent_act(id);
  if (a != kNone) return a;
  std::string_view best = closest_match(id, model.ids(EntityKind::consent_act));
  fail(kExitInvalid, "--withdraw: no consent act '" + id + "' in the model" +
                         (best.empty() ? std::string() : " (did you mean '" + std::string(best) + "'?)"));
}

void run_person(const PersonOptions& o) {
  Model model = load_or_exit(o.model, o.output.lang);
  const Date at = as_of_date(o.date);
  const bool planned = o.date.include_planned;
  const Index person = person_or_exit(model, o.person, at, planned);
  PersonResult first = person_exposure(ModelAt(model, at, planned, person));
  const Lang lang = lang_or_default(o.output.lang, model);
  if (o.compare.empty() && o.compare_at.empty() && o.withdraw.empty()) {
    write_output(o.output.path,
                 o.output.format == "json" ? dump_json(to_json(model, first)) : to_text(model, first, lang));
    return;
  }
  const Date other_at = o.compare_at.empty() ? at : parse_date_or_exit(o.compare_at, "--compare-at");
  const Index other = o.compare.empty() ? person : person_or_exit(model, o.compare, other_at, planned);
  std::vector<Index> withdrawn;
  for (const std::string& id : o.withdraw) withdrawn.push_back(act_or_exit(model, id));
  ModelAt other_model(model, other_at, planned, other, withdrawn);
  for (Index a : withdrawn) {
    ModelAt as_recorded(model, other_at, planned, other);
    const auto& done = as_recorded.person_acts();
    if (!std::binary_search(done.begin(), done.end(), a))
      warn(model.persons[other].id + " has not done '" + model.consent_acts[a].id + "' at " + other_at.iso() +
           "; withdrawing it changes nothing");
  }
  PersonComparison comparison = compare_exposures(std::move(first), person_exposure(other_model));
  write_output(o.output.path, o.output.format == "json" ? dump_json(to_json(model, comparison))
                                                        : to_text(model, comparison, lang));
}

}  // namespace

void setup_person(CLI::App& app) {
  auto o = std::make_shared<PersonOptions>();
  CLI::App* cmd = app.add_subcommand(
      "person",
      "One person's exposure: the systems holding their records, what each holds, the flows moving them");
  add_model_options(*cmd, o->model);
  cmd->add_option("--person", o->person, "The person (a `persons` id)")->required();
  add_date_options(*cmd, o->date);
  cmd->add_option("--compare", o->compare,
                  "Compare with another person (at the same date, or at --compare-at)")
      ->group("Comparison");
  cmd->add_option(
         "--compare-at", o->compare_at,
         "Compare with the same person (or the --compare person) at this date, e.g. before and after "
         "they withdrew a consent act")
      ->group("Comparison");
  cmd->add_option(
         "--withdraw", o->withdraw,
         "Compare with the exposure as if these consent acts (ids, comma-separated) were withdrawn or "
         "never done")
      ->delimiter(',')
      ->group("Comparison");
  add_output_options(*cmd, o->output, {"text", "json"});
  cmd->callback([o] { run_person(*o); });
}

}  // namespace imozuru::cli
