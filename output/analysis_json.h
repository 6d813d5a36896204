// The analyses' results in the JSON shape of docs/cli.md (keys in
// its order, lists sorted, so the same model always gives the same bytes).
// The shape is written once, against ResultWriter: to_json builds JSON with
// it, and query/ builds the Lua tables of model:reach{} and the other
// analyses with it, so the two cannot drift apart.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "model/chains.h"
#include "model/diff.h"
#include "model/downstream.h"
#include "model/gaps.h"
#include "model/reach.h"

namespace imozuru {

// Receives one value as a stream of calls: begin_object, then key and value
// pairs, then end; begin_array, values, end; or a single scalar. The writer
// functions below use nothing but these calls and trivially destructible
// locals, so a writer may raise a Lua error (a longjmp) from any call.
class ResultWriter {
 public:
  virtual void begin_object(std::size_t size) = 0;
  virtual void begin_array(std::size_t size) = 0;
  virtual void end() = 0;  // of the innermost object or array
  virtual void key(std::string_view key) = 0;
  virtual void string(std::string_view text) = 0;
  virtual void integer(long long value) = 0;
  virtual void boolean(bool value) = 0;
  virtual void number(double value) = 0;
  virtual void date(const Date& date) = 0;                     // "YYYY-MM-DD"
  virtual void ref(EntityKind kind, std::string_view id) = 0;  // "kind:id"
  // The id of entity `index` of a kind that lists of results repeat (a
  // writer may reuse one string per entity); `id` is its text.
  virtual void id(EntityKind kind, Index index, std::string_view id) { string(id); }

 protected:
  ~ResultWriter() = default;  // not virtual: a writer is never deleted through this class
};

void write_result(ResultWriter& out, const Model& model, const ReachResult& result);
void write_result(ResultWriter& out, const Model& model, const ChainsResult& result);
void write_result(ResultWriter& out, const Model& model, const DownstreamResult& result);
void write_result(ResultWriter& out, const Model& model, const GapsResult& result);
void write_result(ResultWriter& out, const Model& model, const DiffResult& result);
// One hop / gap as in that JSON (for callers that build their own documents).
void write_hop(ResultWriter& out, const Model& model, const ChainHop& hop);
void write_gap(ResultWriter& out, const Model& model, const Gap& gap);

using Json = nlohmann::ordered_json;

Json to_json(const Model& model, const ReachResult& result);
Json to_json(const Model& model, const ChainsResult& result);
Json to_json(const Model& model, const DownstreamResult& result);
// Gaps carry reasons, sentences in the output language: these set them
// (output/legal_text.h set_gap_reasons) on a copy before writing.
Json to_json(const Model& model, GapsResult result, Lang lang);
Json to_json(const Model& model, DiffResult result, Lang lang);
// Results without sentences ignore the language.
template <typename Result>
Json to_json(const Model& model, const Result& result, Lang) {
  return to_json(model, result);
}
Json hop_json(const Model& model, const ChainHop& hop);
Json gap_json(const Model& model, Gap gap, Lang lang);

// JSON of whatever `write` writes (for results defined elsewhere, e.g.
// output/person_output.h).
Json json_from(const std::function<void(ResultWriter&)>& write);

// Two-space indented, UTF-8 unescaped, trailing newline.
std::string dump_json(const Json& json);

// The same bytes as dump_json(to_json(model, result, lang)), written straight
// from the result without building the JSON document (what the CLI prints).
std::string json_text(const Model& model, const ReachResult& result);
std::string json_text(const Model& model, const ChainsResult& result);
std::string json_text(const Model& model, const DownstreamResult& result);
std::string json_text(const Model& model, GapsResult result, Lang lang);
std::string json_text(const Model& model, DiffResult result, Lang lang);
template <typename Result>
std::string json_text(const Model& model, const Result& result, Lang) {
  return json_text(model, result);
}
// dump_json(json_from(write)), written the same way.
std::string json_text_from(const std::function<void(ResultWriter&)>& write);

}  // namespace imozuru
