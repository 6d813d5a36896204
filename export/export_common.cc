#include "export/export_common.h"

#include <algorithm>
#include <sstream>

#include "model/sort_unique.h"
#include "text/join.h"

namespace imozuru::export_detail {
namespace {

bool refs_contain(const Refs& refs, Index index) {
  return std::any_of(refs.begin(), refs.end(), [&](const Ref& r) { return r.index == index; });
}

template <typename Carried>
HoldingOrigin origin(const ModelAt& at, Index system, Index item, Carried carried_list) {
  const Model& m = at.model();
  if (refs_contain(carried_list(m.systems[system].holds), item)) return HoldingOrigin::declared;
  for (Index f : at.flows_in(system))
    if (refs_contain(carried_list(m.flows[f].carries), item)) return HoldingOrigin::received;
  return HoldingOrigin::derived;
}

}  // namespace

std::string_view to_string(HoldingOrigin o) {
  switch (o) {
    case HoldingOrigin::declared:
      return "declared";
    case HoldingOrigin::received:
      return "received";
    case HoldingOrigin::derived:
      return "derived";
  }
  return "";
}

HoldingOrigin identifier_origin(const ModelAt& at, Index system, Index identifier) {
  return origin(at, system, identifier, [](const Holdings& h) -> const Refs& { return h.identifiers; });
}

HoldingOrigin data_origin(const ModelAt& at, Index system, Index data) {
  return origin(at, system, data, [](const Holdings& h) -> const Refs& { return h.data; });
}

std::vector<std::string> sorted_ids(const Refs& refs) {
  std::vector<std::string> ids;
  ids.reserve(refs.size());
  for (const Ref& r : refs) ids.push_back(r.id);
  sort_unique(ids);
  return ids;
}

std::string joined_ids(const Refs& refs) { return text::join(sorted_ids(refs), ";"); }

std::string ref_id(const std::optional<Ref>& ref) { return ref ? ref->id : std::string(); }

std::string written(const std::optional<Date>& date) { return date ? date->written() : std::string(); }

std::string bool_text(bool value) { return value ? "true" : "false"; }

std::string number_text(const std::optional<double>& value) {
  if (!value) return "";
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out << *value;
  return out.str();
}

}  // namespace imozuru::export_detail
