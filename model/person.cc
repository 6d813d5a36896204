#include "model/person.h"

#include <algorithm>
#include <iterator>

#include "model/diagnostics.h"

namespace imozuru {
namespace {

std::vector<Index> minus(const std::vector<Index>& a, const std::vector<Index>& b) {
  std::vector<Index> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

PersonDifference difference(const PersonResult& a, const PersonResult& b) {
  PersonDifference d;
  auto other = b.systems.begin();
  for (const PersonHolding& h : a.systems) {
    while (other != b.systems.end() && other->system < h.system) ++other;
    PersonDifference::System s;
    s.system = h.system;
    if (other == b.systems.end() || other->system != h.system) {
      s.whole = true;
      s.identifiers = h.identifiers;
      s.data = h.data;
    } else {
      s.identifiers = minus(h.identifiers, other->identifiers);
      s.data = minus(h.data, other->data);
    }
    if (s.whole || !s.identifiers.empty() || !s.data.empty()) d.systems.push_back(std::move(s));
  }
  d.flows = minus(a.flows, b.flows);
  return d;
}

}  // namespace

PersonLookup find_person_at(const Model& model, std::string_view id, const Date& at, bool include_planned) {
  PersonLookup out;
  Index p = model.find_person(id);
  if (p == kNone) {
    std::string_view best = closest_match(id, model.ids(EntityKind::person));
    out.error = "no person '" + std::string(id) + "' in the model";
    if (!best.empty())
      out.error += " (did you mean '" + std::string(best) + "'?)";
    else if (model.persons.empty())
      out.error += " (it defines no persons)";
    return out;
  }
  const Person& person = model.persons[p];
  if (!is_active(person, at, include_planned)) {
    out.error = "person '" + person.id + "' is not active at " + at.iso();
    std::string when;
    if (person.since) when += "since " + person.since->written();
    if (person.until) when += std::string(when.empty() ? "" : ", ") + "until " + person.until->written();
    if (person.status == Status::planned || person.status == Status::proposed)
      when += std::string(when.empty() ? "" : ", ") + std::string(to_string(person.status)) +
              (include_planned ? "" : "; add --include-planned");
    if (!when.empty()) out.error += " (" + when + ")";
    return out;
  }
  out.person = p;
  return out;
}

PersonResult person_exposure(const ModelAt& at) {
  PersonResult r;
  r.at = at.at();
  r.person = at.person();
  r.withdrawn = at.withdrawn_acts();
  r.groups = at.person_groups();
  r.acts = at.person_acts();
  for (Index s : at.systems()) {
    if (at.identifiers_of(s).empty() && at.data_of(s).empty()) continue;
    r.systems.push_back({s, at.identifiers_of(s).vec(), at.data_of(s).vec()});
  }
  r.flows = at.flows();
  return r;
}

PersonComparison compare_exposures(PersonResult first, PersonResult second) {
  PersonComparison c;
  c.only_first = difference(first, second);
  c.only_second = difference(second, first);
  c.first = std::move(first);
  c.second = std::move(second);
  return c;
}

}  // namespace imozuru
