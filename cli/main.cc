// imozuru: find where a person's records can be chain-linked (芋づる式) across
// the systems, identifiers and data flows of a model.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/huge_pages.h"
#include "cli/options.h"
#include "model/output_file.h"

#ifndef IMOZURU_VERSION
#error "IMOZURU_VERSION is the project version, defined by cli/CMakeLists.txt"
#endif

namespace {

// No command ends in an abort: an exception that reaches std::terminate (one
// thrown where none may be, such as an allocation failure in a destructor)
// is one line on stderr and exit 1. write(2) only: memory may be exhausted.
[[noreturn]] void on_terminate() {
  const char* what = "internal error: the program was terminated";
  if (std::exception_ptr e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const std::bad_alloc&) {
      what = "out of memory";
    } catch (const std::exception& ex) {
      what = ex.what();
    } catch (...) {
    }
  }
  // A snapshot being written on another thread leaves no temporary file.
  imozuru::remove_pending_temporary_file();
  const char* prefix = "imozuru: error: ";
  if (write(STDERR_FILENO, prefix, std::strlen(prefix)) < 0 ||
      write(STDERR_FILENO, what, std::strlen(what)) < 0 || write(STDERR_FILENO, "\n", 1) < 0) {
    // nothing more can be done; the exit status says it
  }
  _exit(imozuru::cli::kExitFailure);
}

// The command; its exit status.
int run(int argc, char** argv) {
  try {
    CLI::App app{"imozuru: chain-link (芋づる) analysis of personal-data systems", "imozuru"};
    app.set_version_flag("--version", "imozuru " IMOZURU_VERSION);
    app.require_subcommand(1);
    app.fallthrough(false);
    std::vector<char*> args(argv, argv + argc);
    std::vector<std::string> script_args = imozuru::cli::split_off_script_arguments(args);
    imozuru::cli::setup_validate(app);
    imozuru::cli::setup_reach(app);
    imozuru::cli::setup_chains(app);
    imozuru::cli::setup_person(app);
    imozuru::cli::setup_downstream(app);
    imozuru::cli::setup_gaps(app);
    imozuru::cli::setup_diff(app);
    imozuru::cli::setup_info(app);
    imozuru::cli::setup_export(app);
    imozuru::cli::setup_query(app, std::move(script_args));
    imozuru::cli::setup_render(app);
    imozuru::cli::setup_report(app);
    imozuru::cli::setup_html(app);
    imozuru::cli::setup_schema(app);

    try {
      imozuru::cli::check_names(app, args);
      app.parse(static_cast<int>(args.size()), args.data());
    } catch (const CLI::ParseError& e) {
      return imozuru::cli::report_parse_error(app, e, args);
    }
    // Whatever went to standard output must have arrived (a full disk, /dev/full).
    imozuru::cli::flush_stdout_or_exit();
  } catch (const imozuru::cli::Exit& e) {
    return e.code;
  } catch (const std::bad_alloc&) {
    std::cerr << "imozuru: error: out of memory\n";
    return imozuru::cli::kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << "imozuru: error: " << e.what() << "\n";
    return imozuru::cli::kExitFailure;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  imozuru::cli::rerun_with_huge_page_heap_if_large(argc, argv);
  std::set_terminate(on_terminate);
  const int code = run(argc, argv);
  // The parsed-model snapshot, if one is being written: after the answer,
  // before the process ends; its failure is a warning, never the exit status.
  try {
    imozuru::cli::finish_background_snapshot();
  } catch (const std::exception&) {
    // nothing more to say: the answer is out and the exit status stands
  }
  return code;
}
