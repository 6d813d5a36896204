// --watch for render, report and html (docs/cli.md, "Watching a model"):
// build the output, then build it again each time a model file changes, so
// an author sees the diagram follow the editor.
#pragma once

#include <functional>
#include <string>

namespace CLI {
class App;
}

namespace imozuru::cli {

// Adds --watch to a subcommand.
void add_watch_option(CLI::App& app, bool& watch);

// Runs `build` once; with `watch`, then again after each change to the model
// files under `model_path` (a file, or a directory read recursively), until
// SIGINT, SIGTERM or SIGHUP. Changes are debounced (an editor's burst of
// writes is one rebuild). A build that fails — an invalid model, a render
// that fails — prints its messages and leaves `output` as it was (outputs
// are written atomically), and watching goes on; a usage error ends it.
// Messages in `lang` ("ja" or "en"; empty: Japanese). Ends with the exit
// status of the last build (Exit), or returns when that was a success.
void run_watching(bool watch, const std::string& model_path, const std::string& output,
                  const std::string& lang, const std::function<void()>& build);

}  // namespace imozuru::cli
