#include "output/person_output.h"

#include <fmt/format.h>

#include <map>

#include "output/analysis_text.h"
#include "output/labels.h"
#include "output/messages.h"
#include "text/escape.h"

namespace imozuru {
namespace {

template <typename T>
void id_list(ResultWriter& out, const std::vector<T>& entities, const std::vector<Index>& v) {
  out.begin_array(v.size());
  for (Index i : v) out.string(entities[i].id);
  out.end();
}

std::string comma(Lang lang) { return say(lang, Msg::list_separator); }
std::string name(const Entity& e, Lang lang) { return text::terminal_text(e.display_name(lang)); }

template <typename T>
std::string names(const std::vector<T>& entities, const std::vector<Index>& v, Lang lang) {
  std::string out;
  for (Index i : v) out += (out.empty() ? "" : comma(lang)) + name(entities[i], lang);
  return out;
}

// The dates of the person's entry for a group or act, "2021-10〜2025-03" ("" if none).
std::string entry_dates(const DatedRefs& entries, Index target) {
  for (const DatedRef& d : entries)
    if (d.ref.index == target && (d.since || d.until))
      return (d.since ? d.since->written() : "") + "〜" + (d.until ? d.until->written() : "");
  return "";
}

std::string with_dates(const Model& m, const DatedRefs& entries, const std::vector<Index>& v, bool acts,
                       Lang lang) {
  std::string out;
  for (Index i : v) {
    out +=
        (out.empty() ? "" : comma(lang)) + (acts ? name(m.consent_acts[i], lang) : name(m.groups[i], lang));
    std::string when = entry_dates(entries, i);
    if (!when.empty()) out += say(lang, Msg::person_entry_dates, when);
  }
  return out;
}

// "[A], [B], {x} ●": identifiers, then data, special-category data marked.
std::string items(const Model& m, const std::vector<Index>& identifiers, const std::vector<Index>& data,
                  Lang lang, bool* special) {
  std::string out;
  for (Index i : identifiers) out += (out.empty() ? "" : comma(lang)) + identifier_name(m, i, lang);
  for (Index d : data) {
    out += (out.empty() ? "" : comma(lang)) + data_name(m, d, lang);
    if (m.data[d].sensitivity == Sensitivity::special) {
      out += "●";
      *special = true;
    }
  }
  return out;
}

// Systems grouped under their sector's heading (sectors by their word, as
// the diagrams order them; systems by id), `indent` spaces in.
template <typename Entry, typename Line>
std::string by_sector(const Model& m, const std::vector<Entry>& entries, Lang lang, const std::string& indent,
                      Line line) {
  std::map<std::string, std::vector<const Entry*>> sectors;
  for (const Entry& e : entries) sectors[m.systems[e.system].sector].push_back(&e);
  std::string out;
  for (const auto& [sector, list] : sectors) {
    out += indent + text::terminal_text(sector_label(sector, lang)) + "\n";
    for (const Entry* e : list) out += indent + "  " + line(*e) + "\n";
  }
  return out;
}

// Laws in a flow's basis are shown with where they stand at `at`.
std::string flow_lines(const Model& m, const std::vector<Index>& flows, const Date& at, Lang lang,
                       const std::string& indent) {
  std::string out;
  for (Index f : flows) {
    const Flow& flow = m.flows[f];
    out += fmt::format("{}{} ═[{}]⇒ {}\n", indent, name(m.systems[flow.from.index], lang),
                       flow_annotation(m, flow, at, lang), name(m.systems[flow.to.index], lang));
  }
  return out;
}

std::string special_legend(Lang lang) { return say(lang, Msg::person_special_legend); }

// "花子（hanako）、2026-01-01 時点" / "Hanako (hanako), as of 2026-01-01", and
// the acts taken as withdrawn.
std::string description(const Model& m, const PersonResult& r, Lang lang) {
  std::string out = say(lang, Msg::person_title, person_name(m, r.person, lang), r.at.iso());
  if (!r.withdrawn.empty())
    out += say(lang, Msg::person_title_withdrawn, names(m.consent_acts, r.withdrawn, lang));
  return out;
}

std::string difference_text(const Model& m, const PersonDifference& d, const Date& at, Lang lang,
                            bool* special) {
  if (d.empty()) return "  " + say(lang, Msg::person_nothing) + "\n";
  std::string out = by_sector(m, d.systems, lang, "  ", [&](const PersonDifference::System& s) {
    std::string line = name(m.systems[s.system], lang);
    if (s.whole) line += say(lang, Msg::person_whole_record);
    return line + ": " + items(m, s.identifiers, s.data, lang, special);
  });
  if (!d.flows.empty()) out += "  " + say(lang, Msg::person_flows) + flow_lines(m, d.flows, at, lang, "    ");
  return out;
}

}  // namespace

void write_result(ResultWriter& out, const Model& m, const PersonResult& r) {
  out.begin_object(6 + !r.withdrawn.empty());
  out.key("at");
  out.date(r.at);
  out.key("person");
  out.string(m.persons[r.person].id);
  out.key("groups");
  id_list(out, m.groups, r.groups);
  out.key("acts");
  id_list(out, m.consent_acts, r.acts);
  if (!r.withdrawn.empty()) {
    out.key("withdrawn");
    id_list(out, m.consent_acts, r.withdrawn);
  }
  out.key("systems");
  out.begin_array(r.systems.size());
  for (const PersonHolding& h : r.systems) {
    out.begin_object(3);
    out.key("id");
    out.id(EntityKind::system, h.system, m.systems[h.system].id);
    out.key("identifiers");
    id_list(out, m.identifiers, h.identifiers);
    out.key("data");
    id_list(out, m.data, h.data);
    out.end();
  }
  out.end();
  out.key("flows");
  id_list(out, m.flows, r.flows);
  out.end();
}

namespace {
void write_difference(ResultWriter& out, const Model& m, const PersonDifference& d) {
  out.begin_object(2);
  out.key("systems");
  out.begin_array(d.systems.size());
  for (const PersonDifference::System& s : d.systems) {
    out.begin_object(4);
    out.key("id");
    out.id(EntityKind::system, s.system, m.systems[s.system].id);
    out.key("whole");
    out.boolean(s.whole);
    out.key("identifiers");
    id_list(out, m.identifiers, s.identifiers);
    out.key("data");
    id_list(out, m.data, s.data);
    out.end();
  }
  out.end();
  out.key("flows");
  id_list(out, m.flows, d.flows);
  out.end();
}
}  // namespace

void write_result(ResultWriter& out, const Model& m, const PersonComparison& c) {
  out.begin_object(4);
  out.key("first");
  write_result(out, m, c.first);
  out.key("second");
  write_result(out, m, c.second);
  out.key("only_first");
  write_difference(out, m, c.only_first);
  out.key("only_second");
  write_difference(out, m, c.only_second);
  out.end();
}

std::string to_text(const Model& m, const PersonResult& r, Lang lang) {
  const Person& p = m.persons[r.person];
  std::string out = description(m, r, lang) + "\n";
  out += say(lang, Msg::person_groups,
             r.groups.empty() ? say(lang, Msg::word_none) : with_dates(m, p.groups, r.groups, false, lang));
  out += say(lang, Msg::person_acts,
             r.acts.empty() ? say(lang, Msg::word_none) : with_dates(m, p.acts, r.acts, true, lang));
  out += say(lang, Msg::person_summary, r.systems.size(), r.flows.size());
  bool special = false;
  out += by_sector(m, r.systems, lang, "", [&](const PersonHolding& h) {
    return name(m.systems[h.system], lang) + ": " + items(m, h.identifiers, h.data, lang, &special);
  });
  if (!r.flows.empty()) out += say(lang, Msg::person_flows) + flow_lines(m, r.flows, r.at, lang, "  ");
  if (special) out += special_legend(lang);
  return out;
}

std::string exposure_label(const Model& m, const PersonResult& side, const PersonResult& other, Lang lang) {
  std::string out;
  auto add = [&](const std::string& part) { out += (out.empty() ? "" : comma(lang)) + part; };
  if (side.person != other.person) add(person_name(m, side.person, lang));
  if (!(side.at == other.at)) add(say(lang, Msg::person_as_of, side.at.iso()));
  if (side.withdrawn != other.withdrawn && !side.withdrawn.empty())
    add(say(lang, Msg::person_after_withdrawing, names(m.consent_acts, side.withdrawn, lang)));
  if (out.empty()) out = say(lang, Msg::person_as_recorded);
  return out;
}

std::string to_text(const Model& m, const PersonComparison& c, Lang lang) {
  const std::string a = exposure_label(m, c.first, c.second, lang),
                    b = exposure_label(m, c.second, c.first, lang);
  std::string out =
      description(m, c.first, lang) + say(lang, Msg::person_versus) + description(m, c.second, lang) + "\n";
  out += say(lang, Msg::person_compare_summary, c.first.systems.size(), c.second.systems.size(),
             c.first.flows.size(), c.second.flows.size());
  bool special = false;
  out += say(lang, Msg::person_only, a, b);
  out += difference_text(m, c.only_first, c.first.at, lang, &special);
  out += say(lang, Msg::person_only, b, a);
  out += difference_text(m, c.only_second, c.second.at, lang, &special);
  if (special) out += special_legend(lang);
  return out;
}

Json to_json(const Model& m, const PersonResult& r) {
  return json_from([&](ResultWriter& out) { write_result(out, m, r); });
}
Json to_json(const Model& m, const PersonComparison& c) {
  return json_from([&](ResultWriter& out) { write_result(out, m, c); });
}

}  // namespace imozuru
