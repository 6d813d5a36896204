// imozuru chains MODEL --from REF --to REF [-k N] [--max-hops N]: the
// shortest chains linking a start to a target (docs/cli.md#chains).
#include "cli/analysis_command.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "model/chains.h"

namespace imozuru::cli {
namespace {

struct ChainsOptions {
  ModelOptions model;
  DateOptions date;
  OutputOptions output;
  std::string from, to;
  std::size_t k = kDefaultChainCount;
  std::size_t max_chains = kMaxChainCount;
  int max_hops = kDefaultMaxHops;
  std::string person;
  JoinOptions joins;
};

void run_chains(const ChainsOptions& o) {
  if (o.k > o.max_chains)
    usage_error("-k " + std::to_string(o.k) + " is above the limit of " + std::to_string(o.max_chains) +
                " chains; raise it with --max-chains");
  const Model& model = load_for_process_or_exit(o.model, o.output.lang);
  ModelAt at = model_at_or_exit(model, o.date, o.person);
  EntityRef from = parse_ref_or_exit(o.from, at), to = parse_ref_or_exit(o.to, at);
  LinkageGraph graph(at);
  ChainOptions options;
  options.k = o.k;
  options.max_hops = o.max_hops;
  options.open_only = o.joins.open_only;
  options.max_match_error = o.joins.max_error();
  ChainsResult result = chains(graph, from, to, options);
  write_result(o.output, model, result);
}

}  // namespace

void setup_chains(CLI::App& app) {
  auto o = std::make_shared<ChainsOptions>();
  CLI::App* cmd = app.add_subcommand("chains", "The k shortest chains (in systems) from a start to a target");
  add_model_options(*cmd, o->model);
  cmd->add_option("--from", o->from, "Start: identifier:ID, system:ID or data:ID")->required();
  cmd->add_option("--to", o->to, "Target: identifier:ID, system:ID or data:ID")->required();
  cmd->add_option("-k", o->k, "How many chains (at most --max-chains)")
      ->capture_default_str()
      ->check(whole_number(1));
  cmd->add_option("--max-hops", o->max_hops, "Most steps from one system to the next in a chain")
      ->capture_default_str()
      ->check(whole_number(1, kMaxHopsLimit));
  cmd->add_option("--max-chains", o->max_chains, "Largest -k accepted")
      ->capture_default_str()
      ->check(whole_number(1))
      ->group("Limits");
  add_date_options(*cmd, o->date);
  add_person_option(*cmd, o->person);
  add_join_options(*cmd, o->joins);
  add_output_options(*cmd, o->output, {"text", "json"});
  cmd->callback([o] { run_chains(*o); });
}

}  // namespace imozuru::cli
