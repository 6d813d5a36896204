// imozuru downstream MODEL --from system:ID --data ID: where a data item held
// at a system flows on to (data lineage, docs/cli.md#downstream).
#include "cli/analysis_command.h"
#include "cli/commands.h"
#include "model/downstream.h"

namespace imozuru::cli {
namespace {

struct DownstreamOptions {
  ModelOptions model;
  DateOptions date;
  OutputOptions output;
  std::string from, data;
  std::string person;
};

void run_downstream(const DownstreamOptions& o) {
  Model model = load_or_exit(o.model, o.output.lang);
  ModelAt at = model_at_or_exit(model, o.date, o.person);
  EntityRef system = parse_ref_or_exit(o.from, at);
  if (system.kind != EntityKind::system)
    fail(kExitInvalid, "--from must name a system (system:ID), not '" + o.from + "'");
  EntityRef data = parse_ref_or_exit(o.data.find(':') == std::string::npos ? "data:" + o.data : o.data, at);
  if (data.kind != EntityKind::data)
    fail(kExitInvalid, "--data must name a data item (ID or data:ID), not '" + o.data + "'");
  DownstreamResult result = downstream(at, model.find(system), model.find(data));
  write_result(o.output, model, result);
}

}  // namespace

void setup_downstream(CLI::App& app) {
  auto o = std::make_shared<DownstreamOptions>();
  CLI::App* cmd =
      app.add_subcommand("downstream", "Systems a data item held at a system flows on to, and the flows");
  add_model_options(*cmd, o->model);
  cmd->add_option("--from", o->from, "The system holding the data: system:ID")->required();
  cmd->add_option("--data", o->data, "The data item: ID or data:ID")->required();
  add_date_options(*cmd, o->date);
  add_person_option(*cmd, o->person);
  add_output_options(*cmd, o->output, {"text", "json"});
  cmd->callback([o] { run_downstream(*o); });
}

}  // namespace imozuru::cli
